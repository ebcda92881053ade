/**
 * The auto-configuration of Larder's web parts for Spring MVC (servlet stack), from
 * {@code larder.web.*} ({@link io.larder.spring.boot.autoconfigure.web.LarderWebProperties}):
 * larder-servlet's page-cache and {@code Server-Timing} filters
 * ({@link io.larder.spring.boot.autoconfigure.web.LarderWebAutoConfiguration}) and
 * larder-thymeleaf's dialect
 * ({@link io.larder.spring.boot.autoconfigure.web.LarderThymeleafAutoConfiguration}), each on the
 * {@code Larder} bean and only when its module is on the class path.
 */
package io.larder.spring.boot.autoconfigure.web;
