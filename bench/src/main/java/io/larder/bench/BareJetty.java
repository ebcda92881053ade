package io.larder.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The JVM's limit for serving a cached page here, a peer in {@link Peers}: a bare Jetty 12 core
 * handler that writes one file's bytes from a prepared direct buffer with pre-encoded headers,
 * whatever the request. Non-blocking, Jetty runs it on the I/O thread that parsed the request;
 * with {@code blocking} it declares itself blocking, as a servlet chain (Javalin's, the page
 * front's) does, and Jetty hands every request to its pool first: the two apart are what that
 * hand-off costs. Usage:
 * {@code java -cp benchmarks.jar io.larder.bench.BareJetty PORT FILE [blocking]}.
 */
public final class BareJetty {
    private BareJetty() {
    }

    /** Serves {@code args[1]}'s bytes on 127.0.0.1:{@code args[0]} until killed. */
    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        ByteBuffer buffer = ByteBuffer.allocateDirect(body.length).put(body).flip();
        Server server = new Server(new QueuedThreadPool(16));
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        PreEncodedHttpField type = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
                "text/html; charset=utf-8");
        PreEncodedHttpField etag = new PreEncodedHttpField(HttpHeader.ETAG, "\"bare\"");
        PreEncodedHttpField length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH,
                Integer.toString(body.length));
        boolean blocking = args.length > 2 && args[2].equals("blocking");
        server.setHandler(new Handler.Abstract(blocking ? InvocationType.BLOCKING
                : InvocationType.NON_BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                HttpFields.Mutable headers = response.getHeaders();
                headers.add(type);
                headers.add(etag);
                headers.add(length);
                response.write(true, buffer.slice(), callback);
                return true;
            }
        });
        server.start();
        System.out.println("listening on " + args[0]);
        server.join();
    }
}
