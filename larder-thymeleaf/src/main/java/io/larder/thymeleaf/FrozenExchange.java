package io.larder.thymeleaf;

import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.thymeleaf.web.IWebApplication;
import org.thymeleaf.web.IWebExchange;
import org.thymeleaf.web.IWebRequest;
import org.thymeleaf.web.IWebSession;

/**
 * The part of a web request that a cached block may see, copied when the block was reached: the
 * request's method, scheme, host, port, application path (so that context-relative links
 * {@code @{/x}} resolve), path and query parameters ({@code ${param.x}}), and the application.
 * What is personal is left out, since the block's HTML goes to every visitor of its key: no
 * session, principal, cookies or headers, no request attributes (the render gets an empty map of
 * its own), and links are not rewritten with the session id ({@code ;jsessionid=}).
 */
final class FrozenExchange implements IWebExchange {
    private final Request request;
    private final IWebApplication application;
    private final Locale locale;
    private final String contentType;
    private final String characterEncoding;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    private FrozenExchange(IWebExchange live) {
        this.request = new Request(live.getRequest());
        this.application = live.getApplication();
        this.locale = live.getLocale();
        this.contentType = live.getContentType();
        this.characterEncoding = live.getCharacterEncoding();
    }

    /** A copy of {@code live}'s shareable parts. */
    static FrozenExchange of(IWebExchange live) {
        return new FrozenExchange(live);
    }

    @Override
    public IWebRequest getRequest() {
        return request;
    }

    @Override
    public IWebSession getSession() {
        return null;
    }

    @Override
    public IWebApplication getApplication() {
        return application;
    }

    @Override
    public Principal getPrincipal() {
        return null;
    }

    @Override
    public Locale getLocale() {
        return locale;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding;
    }

    @Override
    public boolean containsAttribute(String name) {
        return attributes.containsKey(name);
    }

    @Override
    public int getAttributeCount() {
        return attributes.size();
    }

    @Override
    public Set<String> getAllAttributeNames() {
        return Collections.unmodifiableSet(attributes.keySet());
    }

    @Override
    public Map<String, Object> getAttributeMap() {
        return Collections.unmodifiableMap(attributes);
    }

    @Override
    public Object getAttributeValue(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttributeValue(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    /** The URL as it is: never with the visitor's session id in it. */
    @Override
    public String transformURL(String url) {
        return url;
    }

    /** The request's address and query parameters; no headers, no cookies. */
    private static final class Request implements IWebRequest {
        private final String method;
        private final String scheme;
        private final String serverName;
        private final Integer serverPort;
        private final String applicationPath;
        private final String pathWithinApplication;
        private final String queryString;
        private final Map<String, String[]> parameters;

        Request(IWebRequest live) {
            this.method = live.getMethod();
            this.scheme = live.getScheme();
            this.serverName = live.getServerName();
            this.serverPort = live.getServerPort();
            this.applicationPath = live.getApplicationPath();
            this.pathWithinApplication = live.getPathWithinApplication();
            this.queryString = live.getQueryString();
            Map<String, String[]> copy = new LinkedHashMap<>();
            live.getParameterMap().forEach((name, values) -> copy.put(name, values.clone()));
            this.parameters = Collections.unmodifiableMap(copy);
        }

        @Override
        public String getMethod() {
            return method;
        }

        @Override
        public String getScheme() {
            return scheme;
        }

        @Override
        public String getServerName() {
            return serverName;
        }

        @Override
        public Integer getServerPort() {
            return serverPort;
        }

        @Override
        public String getApplicationPath() {
            return applicationPath;
        }

        @Override
        public String getPathWithinApplication() {
            return pathWithinApplication;
        }

        @Override
        public String getQueryString() {
            return queryString;
        }

        @Override
        public boolean containsHeader(String name) {
            return false;
        }

        @Override
        public int getHeaderCount() {
            return 0;
        }

        @Override
        public Set<String> getAllHeaderNames() {
            return Set.of();
        }

        @Override
        public Map<String, String[]> getHeaderMap() {
            return Map.of();
        }

        @Override
        public String[] getHeaderValues(String name) {
            return new String[0];
        }

        @Override
        public boolean containsParameter(String name) {
            return parameters.containsKey(name);
        }

        @Override
        public int getParameterCount() {
            return parameters.size();
        }

        @Override
        public Set<String> getAllParameterNames() {
            return parameters.keySet();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = parameters.get(name);
            return values == null ? null : values.clone();
        }

        @Override
        public boolean containsCookie(String name) {
            return false;
        }

        @Override
        public int getCookieCount() {
            return 0;
        }

        @Override
        public Set<String> getAllCookieNames() {
            return Set.of();
        }

        @Override
        public Map<String, String[]> getCookieMap() {
            return Map.of();
        }

        @Override
        public String[] getCookieValues(String name) {
            return new String[0];
        }
    }
}
