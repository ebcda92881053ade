package io.larder.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.Supplier;

/**
 * A response that sets its {@code Server-Timing} header just before it commits: before the
 * first byte of the body, a flush, an error or a redirect, or when the chain returns.
 */
final class TimingResponse extends HttpServletResponseWrapper {
    private final Supplier<String> value;
    private boolean stamped;
    private ServletOutputStream stream;
    private PrintWriter writer;

    TimingResponse(HttpServletResponse response, Supplier<String> value) {
        super(response);
        this.value = value;
    }

    /** Sets the header once, unless the response has committed already. */
    void stamp() {
        if (!stamped) {
            stamped = true;
            HttpServletResponse real = (HttpServletResponse) getResponse();
            if (!real.isCommitted()) {
                real.setHeader("Server-Timing", value.get());
            }
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        stamp();
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        stamp();
        super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        stamp();
        super.sendRedirect(location);
    }

    @Override
    public void flushBuffer() throws IOException {
        stamp();
        super.flushBuffer();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream out = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    stamp();
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    stamp();
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    stamp();
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    stamp();
                    out.close();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter out = super.getWriter();
            writer = new PrintWriter(new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    stamp();
                    out.write(buf, off, len);
                }

                @Override
                public void flush() {
                    stamp();
                    out.flush();
                }

                @Override
                public void close() {
                    stamp();
                    out.close();
                }
            });
        }
        return writer;
    }
}
