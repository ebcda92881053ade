package io.larder.springblog.web;

import io.larder.blog.web.Langs;
import io.larder.blog.web.Messages;
import io.larder.spring.boot.autoconfigure.web.LarderPageCacheCustomizer;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.error.ErrorPageRegistrar;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The blog's language and words in Spring MVC: the locale of a request is the language its path
 * starts with ({@code /de/...}); Thymeleaf's {@code #{key(args)}} are examples/blog's ICU
 * messages in that language (CLDR plurals); 404s go to {@link NotFoundPage} (and so do
 * {@code NotFoundException}s, through {@link NotFoundFilter}); in page mode the home pages are
 * warmed.
 */
@Configuration(proxyBeanMethods = false)
class WebSetup {

    @Bean
    LocaleResolver localeResolver() {
        return new LocaleResolver() {
            @Override
            public Locale resolveLocale(HttpServletRequest request) {
                Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
                String uri = failed != null ? failed.toString() : request.getRequestURI();
                return Locale.forLanguageTag(Langs.ofPath(
                        uri.substring(Math.min(uri.length(), request.getContextPath().length()))));
            }

            @Override
            public void setLocale(HttpServletRequest request, HttpServletResponse response,
                    Locale locale) {
                throw new UnsupportedOperationException("the language is the path's");
            }
        };
    }

    @Bean
    MessageSource messageSource() {
        return new MessageSource() {
            @Override
            public String getMessage(String code, Object[] args, String defaultMessage,
                    Locale locale) {
                try {
                    return getMessage(code, args, locale);
                } catch (NoSuchMessageException e) {
                    return defaultMessage;
                }
            }

            @Override
            public String getMessage(String code, Object[] args, Locale locale) {
                String lang = Langs.ALL.contains(locale.getLanguage())
                        ? locale.getLanguage() : Langs.ALL.get(0);
                try {
                    return Messages.of(lang).text(code, args == null ? new Object[0] : args);
                } catch (IllegalArgumentException e) {
                    throw new NoSuchMessageException(code, locale);
                }
            }

            @Override
            public String getMessage(MessageSourceResolvable resolvable, Locale locale) {
                for (String code : resolvable.getCodes()) {
                    try {
                        return getMessage(code, resolvable.getArguments(), locale);
                    } catch (NoSuchMessageException e) {
                        // the next code
                    }
                }
                if (resolvable.getDefaultMessage() != null) {
                    return resolvable.getDefaultMessage();
                }
                throw new NoSuchMessageException(String.join(",", resolvable.getCodes()), locale);
            }
        };
    }

    /**
     * In page mode, the home page of every language is rendered when the server has started and
     * again right after an edit touches it, as examples/blog warms them.
     */
    @Bean
    LarderPageCacheCustomizer warmHomePages() {
        return pages -> pages.warm(() -> Langs.ALL.stream().map(l -> "/" + l + "/").toList());
    }

    @Bean
    ErrorPageRegistrar notFoundPages() {
        return registry -> registry.addErrorPages(
                new ErrorPage(HttpStatus.NOT_FOUND, NotFoundPage.PATH));
    }
}
