/**
 * The auto-configuration of Larder's web parts for Spring MVC (servlet stack): the page-cache
 * filter, the {@code Server-Timing} filter and the Thymeleaf fragment-cache dialect. They live in
 * the modules {@code larder-servlet} and {@code larder-thymeleaf}; their auto-configuration classes
 * go in this package (each {@code @ConditionalOnClass} on its module, listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}), on
 * the {@code Larder} bean of {@link io.larder.spring.boot.autoconfigure.LarderAutoConfiguration}.
 */
package io.larder.spring.boot.autoconfigure.web;
