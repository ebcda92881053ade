package io.larder.springblog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/**
 * The reference blog's public pages and admin edit on Spring Boot: Spring MVC, Thymeleaf, Spring
 * Data JPA and Flyway on examples/blog's schema, seed and queries (larder-blog-common), cached by
 * larder-spring-boot-starter in the mode {@code blog.cache=off|query|fragment|page}.
 *
 * <pre>{@code
 * mvn -q -pl examples/spring-blog -am spring-boot:run -Dspring-boot.run.arguments=--blog.cache=page
 * }</pre>
 */
@SpringBootApplication
@EntityScan(basePackages = "io.larder.blog")
@EnableConfigurationProperties(BlogProperties.class)
public class SpringBlog {

    /** Starts the blog. */
    public static void main(String[] args) {
        SpringApplication.run(SpringBlog.class, args);
    }
}
