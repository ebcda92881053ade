package io.larder.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response that keeps everything the application does to it (status, headers, cookies, body,
 * an error or a redirect) and sends nothing, so that the filter can decide afterwards whether to
 * store it; {@link #replay} then gives the real response exactly what the application made.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
    /** One header: its name as first spelled, and its values in order. */
    record Header(String name, List<String> values) { }

    private final Map<String, Header> headers = new LinkedHashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    private final String defaultCharset;
    private int status = 200;
    private String contentType;
    private String charset;
    private String errorMessage;
    private boolean error;
    private String redirect;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CapturingResponse(HttpServletResponse response, String defaultCharset) {
        super(response);
        this.defaultCharset = defaultCharset;
    }

    /** Sends what was captured to the real response. */
    void replay() throws IOException {
        HttpServletResponse real = (HttpServletResponse) getResponse();
        headers.values().forEach(h -> h.values().forEach(v -> real.addHeader(h.name(), v)));
        cookies.forEach(real::addCookie);
        if (redirect != null) {
            real.sendRedirect(redirect);
        } else if (error) {
            real.sendError(status, errorMessage);
        } else {
            real.setStatus(status);
            if (getContentType() != null) {
                real.setContentType(getContentType());
            }
            byte[] bytes = body();
            real.setContentLength(bytes.length);
            real.getOutputStream().write(bytes);
        }
    }

    /** The body written so far. */
    byte[] body() {
        if (writer != null) {
            writer.flush();
        }
        return body.toByteArray();
    }

    /** Whether the application set a cookie, by {@code addCookie} or a header. */
    boolean setsCookie() {
        return !cookies.isEmpty() || headers.containsKey("set-cookie");
    }

    /** Every header but {@code Content-Type}, by lower-case name. */
    Map<String, Header> headers() {
        return headers;
    }

    /** Whether the response ended in {@code sendError} or {@code sendRedirect}. */
    boolean ended() {
        return error || redirect != null;
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int sc, String msg) {
        status = sc;
        errorMessage = msg;
        error = true;
        body.reset();
    }

    @Override
    public void sendError(int sc) {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location) {
        status = 302;
        redirect = location;
        body.reset();
    }

    @Override
    public void addCookie(Cookie cookie) {
        cookies.add(cookie);
    }

    @Override
    public boolean containsHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.containsKey(lower) || ("content-type".equals(lower) && contentType != null);
    }

    @Override
    public void setHeader(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if ("content-type".equals(lower)) {
            setContentType(value);
        } else if (!"content-length".equals(lower)) {
            headers.remove(lower);
            if (value != null) {
                addHeader(name, value);
            }
        }
    }

    @Override
    public void addHeader(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if ("content-type".equals(lower)) {
            setContentType(value);
        } else if (!"content-length".equals(lower) && value != null) {
            headers.computeIfAbsent(lower, n -> new Header(name, new ArrayList<>())).values()
                    .add(value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, httpDate(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, httpDate(date));
    }

    @Override
    public String getHeader(String name) {
        Header h = headers.get(name.toLowerCase(Locale.ROOT));
        return h == null ? ("content-type".equalsIgnoreCase(name) ? getContentType() : null)
                : h.values().get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        Header h = headers.get(name.toLowerCase(Locale.ROOT));
        return h == null ? List.of() : List.copyOf(h.values());
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        headers.values().forEach(h -> names.add(h.name()));
        return names;
    }

    @Override
    public void setContentType(String type) {
        if (type == null) {
            contentType = null;
            return;
        }
        int semi = type.indexOf(';');
        contentType = (semi < 0 ? type : type.substring(0, semi)).strip();
        int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (at >= 0 && writer == null) {
            String value = type.substring(at + 8).strip();
            int end = value.indexOf(';');
            charset = (end < 0 ? value : value.substring(0, end)).replace("\"", "").strip();
        }
    }

    @Override
    public String getContentType() {
        if (contentType == null) {
            return null;
        }
        return charset == null ? contentType : contentType + ";charset=" + charset;
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        if (writer == null) {
            charset = encoding;
        }
    }

    @Override
    public String getCharacterEncoding() {
        return charset != null ? charset : defaultCharset;
    }

    @Override
    public void setLocale(Locale locale) {
        if (locale != null) {
            setHeader("Content-Language", locale.toLanguageTag());
        }
    }

    @Override
    public void setContentLength(int len) {
        // the filter sends the length of what was written
    }

    @Override
    public void setContentLengthLong(long len) {
        // the filter sends the length of what was written
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called");
        }
        if (stream == null) {
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new IllegalStateException("the page cache renders synchronously");
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() was already called");
        }
        if (writer == null) {
            charset = getCharacterEncoding();
            writer = new PrintWriter(new OutputStreamWriter(body, Charset.forName(charset)));
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public boolean isCommitted() {
        return ended();
    }

    @Override
    public void resetBuffer() {
        if (writer != null) {
            writer.flush();
        }
        body.reset();
    }

    @Override
    public void reset() {
        resetBuffer();
        headers.clear();
        cookies.clear();
        status = 200;
        contentType = null;
        if (writer == null) {
            charset = null;
        }
    }

    @Override
    public void setBufferSize(int size) {
        // everything is buffered
    }

    @Override
    public int getBufferSize() {
        return Integer.MAX_VALUE;
    }

    private static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }
}
