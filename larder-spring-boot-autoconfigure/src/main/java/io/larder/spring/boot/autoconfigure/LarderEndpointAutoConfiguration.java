package io.larder.spring.boot.autoconfigure;

import io.larder.Larder;
import io.larder.insight.Advisor;
import io.larder.spring.boot.autoconfigure.web.LarderPageWarming;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@link LarderEndpoint}, where the actuator is present and the endpoint available. */
@AutoConfiguration(after = LarderAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(Larder.class)
@ConditionalOnAvailableEndpoint(LarderEndpoint.class)
public class LarderEndpointAutoConfiguration {

    /** {@code /actuator/larder}. */
    @Bean
    @ConditionalOnMissingBean
    public LarderEndpoint larderEndpoint(Larder larder, ObjectProvider<Advisor> advisor,
            ObjectProvider<LarderPageWarming> pageWarming) {
        return new LarderEndpoint(larder, advisor, pageWarming);
    }
}
