package io.efashuffle.transfer.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.efashuffle.transfer.engine.InMemoryMetadataRegistry;
import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small standalone registry for the tools: the JDK's HTTP server on loopback holding
 * descriptors in memory (in the spirit of Mooncake's P2P handshake service).
 * {@code PUT|GET|DELETE /segments/<name>}, bodies in {@link SegmentDescriptorCodec} form. Every
 * malformed request gets a 4xx answer, and a client that sends nothing or trickles its request is
 * disconnected within {@link #CONNECTION_BOUND}.
 */
public final class MetadataRegistryServer implements AutoCloseable {
    static final int MAX_BODY = 16 << 20;
    static final int MAX_NAME = 1024;
    private static final long REQUEST_SECONDS = 5;
    /** How long a connection may take to deliver a request or sit idle: the timeout plus one timer tick. */
    static final Duration CONNECTION_BOUND = Duration.ofSeconds(REQUEST_SECONDS + 1);

    static {
        // The JDK server reads these once per JVM, when its first server is created; set only what
        // the user has not, so a JVM that made an HttpServer earlier keeps its own values.
        setIfUnset("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_SECONDS)); // headers + body, s
        setIfUnset("sun.net.httpserver.maxRspTime", Long.toString(REQUEST_SECONDS)); // response read, s
        setIfUnset("sun.net.httpserver.idleInterval", Long.toString(REQUEST_SECONDS)); // between requests, s
        setIfUnset("sun.net.httpserver.clockTick", "1000"); // ms between idle checks (default 10 s)
    }

    private record Response(int status, byte[] body) {
        static Response of(int status, String message) {
            return new Response(status, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final InMemoryMetadataRegistry store = new InMemoryMetadataRegistry();
    private final HttpServer server;

    public MetadataRegistryServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/segments/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon()
                .name("registry-http").unstarted(r)));
        server.start();
    }

    private static void setIfUnset(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** The base URL clients use, e.g. http://127.0.0.1:40123. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Never throws: the JDK server drops the connection without an answer when a handler does. */
    private void handle(HttpExchange ex) {
        try (ex) {
            Response r;
            try {
                r = respond(ex);
            } catch (RuntimeException e) {
                r = Response.of(500, "registry failure: " + e);
            }
            ex.sendResponseHeaders(r.status(), r.body() == null ? -1 : r.body().length);
            if (r.body() != null) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            // The client went away or was cut off by a timeout: nobody to answer.
        }
    }

    private Response respond(HttpExchange ex) throws IOException {
        String name = segmentName(ex.getRequestURI().getRawPath());
        if (name == null) {
            return Response.of(400, "want /segments/<url-encoded name of 1.." + MAX_NAME + " characters>");
        }
        switch (ex.getRequestMethod()) {
            case "PUT" -> {
                byte[] body = readBody(ex);
                if (body == null) {
                    return Response.of(413, "descriptor larger than " + MAX_BODY + " bytes");
                }
                SegmentDescriptor d;
                try {
                    d = SegmentDescriptorCodec.decode(body);
                } catch (IllegalArgumentException e) {
                    return Response.of(400, e.getMessage());
                }
                if (!d.name().equals(name)) {
                    return Response.of(400, "name in path and body differ");
                }
                store.publish(d);
                return new Response(204, null);
            }
            case "GET" -> {
                Optional<SegmentDescriptor> d = store.lookup(name);
                return d.isPresent() ? new Response(200, SegmentDescriptorCodec.encode(d.get()))
                        : new Response(404, null);
            }
            case "DELETE" -> {
                store.remove(name);
                return new Response(204, null);
            }
            default -> {
                ex.getResponseHeaders().set("Allow", "PUT, GET, DELETE");
                return Response.of(405, "method " + ex.getRequestMethod() + " not allowed");
            }
        }
    }

    /** The decoded name after /segments/, or null when it is empty, too long or badly escaped. */
    private static String segmentName(String rawPath) {
        try {
            String name = URLDecoder.decode(rawPath.substring("/segments/".length()), StandardCharsets.UTF_8);
            return name.isEmpty() || name.length() > MAX_NAME ? null : name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The request body, or null when it is larger than MAX_BODY (refused before reading when announced). */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        String announced = ex.getRequestHeaders().getFirst("Content-Length");
        if (announced != null && Long.parseLong(announced) > MAX_BODY) { // the JDK has checked it is a number
            return null;
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
