package io.efashuffle.transfer.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * A small standalone registry for the tools: the JDK's HTTP server on loopback holding
 * descriptors in memory (in the spirit of Mooncake's P2P handshake service).
 * {@code PUT|GET|DELETE /segments/<name>}, bodies in {@link SegmentDescriptorCodec} form.
 */
public final class MetadataRegistryServer implements AutoCloseable {
    private static final int MAX_BODY = 16 << 20;
    private final InMemoryMetadataRegistry store = new InMemoryMetadataRegistry();
    private final HttpServer server;

    public MetadataRegistryServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/segments/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon()
                .name("registry-http").unstarted(r)));
        server.start();
    }

    /** The base URL clients use, e.g. http://127.0.0.1:40123. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String name = URLDecoder.decode(ex.getRequestURI().getRawPath().substring("/segments/".length()),
                    StandardCharsets.UTF_8);
            switch (ex.getRequestMethod()) {
                case "PUT" -> {
                    byte[] body;
                    try (InputStream in = ex.getRequestBody()) {
                        body = in.readNBytes(MAX_BODY);
                    }
                    SegmentDescriptor d;
                    try {
                        d = SegmentDescriptorCodec.decode(body);
                    } catch (IllegalArgumentException e) {
                        reply(ex, 400, e.getMessage().getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    if (!d.name().equals(name)) {
                        reply(ex, 400, "name in path and body differ".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    store.publish(d);
                    reply(ex, 204, null);
                }
                case "GET" -> {
                    Optional<SegmentDescriptor> d = store.lookup(name);
                    if (d.isPresent()) {
                        reply(ex, 200, SegmentDescriptorCodec.encode(d.get()));
                    } else {
                        reply(ex, 404, null);
                    }
                }
                case "DELETE" -> {
                    store.remove(name);
                    reply(ex, 204, null);
                }
                default -> reply(ex, 405, null);
            }
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
