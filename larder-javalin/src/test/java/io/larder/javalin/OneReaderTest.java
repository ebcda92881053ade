package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * {@link OneReader} against the Jetty race it works around: keep-alive clients, each request
 * carrying its own id, beside clients sending malformed requests (Jetty's parser answers those
 * 400 on another thread). Every answer must carry the id of the request it answers. Without the
 * guard ({@code -Dlarder.oneReader.off=true}), Jetty 12.1.14 failed it in each of 6 runs here:
 * a request parsed twice, so the answers on its connection went to the request after their own,
 * or a request parsed from a moved buffer, answered 400 and its connection closed.
 */
class OneReaderTest {
    private static final int CLIENTS = 4;
    private static final int REQUESTS = 120_000;
    private static final Pattern X_ID = Pattern.compile("(?i)\r\nX-Id: (\\S+)");

    @Test
    void malformedRequests_neverShiftTheAnswersOfOtherConnections() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        // Like the page front: answered after a hand-off to Jetty's pool.
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String id = request.getHeaders().get("X-Id");
                request.getComponents().getExecutor().execute(() -> {
                    response.getHeaders().put("X-Id", id);
                    response.write(true, ByteBuffer.wrap(("answer to " + id)
                            .getBytes(StandardCharsets.US_ASCII)), callback);
                });
                return true;
            }
        });
        if (!Boolean.getBoolean("larder.oneReader.off")) {
            OneReader.install(server);
        }
        server.start();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 2);
        try {
            int port = connector.getLocalPort();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong malformed = new AtomicLong();
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(threads.submit(() -> keepAlive(port, client)));
            }
            List<Future<?>> spoilers = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                spoilers.add(threads.submit(() -> {
                    while (!done.get()) {
                        malformed(port);
                        malformed.incrementAndGet();
                    }
                    return null;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> client : clients) {
                wrong.addAll(client.get());
            }
            done.set(true);
            for (Future<?> spoiler : spoilers) {
                spoiler.get();
            }
            assertThat(malformed.get()).as("malformed requests sent").isPositive();
            assertThat(wrong).as("answers to another request").isEmpty();
        } finally {
            threads.shutdownNow();
            server.stop();
        }
    }

    /** Requests one after another on one connection; the answers whose id is not theirs. */
    private static List<String> keepAlive(int port, int client) throws IOException {
        List<String> wrong = new ArrayList<>();
        Socket socket = new Socket("127.0.0.1", port);
        BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
        try {
            for (int i = 0; i < REQUESTS / CLIENTS; i++) {
                String id = client + "-" + i;
                OutputStream out = socket.getOutputStream();
                out.write(("GET /page?n=" + i + " HTTP/1.1\r\nHost: localhost\r\nX-Id: " + id
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answered;
                try {
                    answered = answerId(in);
                } catch (IOException e) { // a request that came out corrupt: a 400, then closed
                    answered = "nothing (" + e.getMessage() + ")";
                }
                if (!id.equals(answered) && wrong.size() < 10) {
                    wrong.add(id + " answered as " + answered);
                    socket.close(); // its later answers are shifted too
                    socket = new Socket("127.0.0.1", port);
                    in = new BufferedInputStream(socket.getInputStream());
                }
            }
        } finally {
            socket.close();
        }
        return wrong;
    }

    /** A request line Jetty's parser rejects (a control character in the target). */
    private static void malformed(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /a\u0001b HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes(); // Jetty answers 400 and closes
        }
    }

    /** Reads one answer; its {@code X-Id}. */
    private static String answerId(BufferedInputStream in) throws IOException {
        Matcher id = X_ID.matcher(TestSite.readAnswer(in));
        return id.find() ? id.group(1) : null;
    }
}
