package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import io.efashuffle.transfer.transport.EndpointAddresses;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone registry answers every malformed request with a 4xx and cuts off slow clients. */
class MetadataRegistryServerTest {
    private static final SegmentDescriptor SEGMENT = new SegmentDescriptor("tools/a b", "tcp",
            new EndpointAddresses(List.of(new byte[16]), Map.of()), List.of());

    /** Sends raw bytes on a fresh connection and returns the status code of the answer. */
    private static int status(MetadataRegistryServer server, String head, byte[] body) throws IOException {
        try (Socket s = connect(server)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String line = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertTrue(line.startsWith("HTTP/1.1 "), "answer: " + line);
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    private static int request(MetadataRegistryServer server, String method, String path, byte[] body)
            throws IOException {
        return status(server, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);
    }

    private static Socket connect(MetadataRegistryServer server) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), URI.create(server.url()).getPort());
    }

    @Test
    void malformedRequestsGetA4xxAndGoodOnesStillWork() throws IOException {
        byte[] good = SegmentDescriptorCodec.encode(SEGMENT);
        try (MetadataRegistryServer server = new MetadataRegistryServer(0)) {
            assertEquals(400, request(server, "PUT", "/segments/", good));
            assertEquals(400, request(server, "GET", "/segments/%zz", new byte[0]));
            assertEquals(400, request(server, "GET", "/segments/" + "x".repeat(MetadataRegistryServer.MAX_NAME + 1),
                    new byte[0]));
            assertEquals(400, request(server, "PUT", "/segments/tools%2Fa+b", new byte[] {1, 2, 3}));
            assertEquals(400, request(server, "PUT", "/segments/tools%2Fa+b", java.util.Arrays.copyOf(good, 9)));
            assertEquals(400, request(server, "PUT", "/segments/other", good));
            assertEquals(405, request(server, "POST", "/segments/tools%2Fa+b", good));
            // Announced as too large: refused before a byte of the body is read.
            assertEquals(413, status(server, "PUT /segments/x HTTP/1.1\r\nHost: h\r\nContent-Length: "
                    + (MetadataRegistryServer.MAX_BODY + 1) + "\r\n\r\n", new byte[0]));
            // Chunked, so unannounced: refused once more than the maximum has arrived.
            assertEquals(413, chunkedTooLarge(server));
            assertEquals(404, request(server, "GET", "/segments/tools%2Fa+b", new byte[0]));

            assertEquals(204, request(server, "PUT", "/segments/tools%2Fa+b", good));
            try (HttpMetadataRegistry client = new HttpMetadataRegistry(server.url())) {
                assertEquals("tcp", client.lookup("tools/a b").orElseThrow().protocol());
            }
        }
    }

    private static int chunkedTooLarge(MetadataRegistryServer server) throws IOException {
        try (Socket s = connect(server)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("PUT /segments/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i <= MetadataRegistryServer.MAX_BODY / chunk.length; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            String line = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    /** Seconds until the server closes a connection on which the client does {@code what}. */
    private static Future<Long> secondsUntilClosed(ExecutorService clients, MetadataRegistryServer server,
                                                   String what) {
        return clients.submit(() -> {
            long start = System.nanoTime();
            try (Socket s = connect(server)) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                if (!what.isEmpty()) {
                    out.write(what.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                in.transferTo(answer); // until the server closes
                assertEquals(0, answer.size(), "a slow client got an answer: " + answer);
            } catch (IOException e) {
                // a reset is a close too
            }
            return Duration.ofNanos(System.nanoTime() - start).toSeconds();
        });
    }

    @Test
    void silentAndTricklingClientsAreCutOff() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            var silent = secondsUntilClosed(clients, server, "");
            var halfHeader = secondsUntilClosed(clients, server, "GET /segments/x HT");
            var shortBody = secondsUntilClosed(clients, server, "PUT /segments/x HTTP/1.1\r\nHost: h\r\nContent-Length: 100"
                    + "\r\n\r\n0123456789");
            long bound = MetadataRegistryServer.CONNECTION_BOUND.toSeconds() + 2;
            for (var c : List.of(silent, halfHeader, shortBody)) {
                long seconds = c.get();
                assertTrue(seconds >= 1 && seconds <= bound, "connection held " + seconds + " s, bound " + bound + " s");
            }
            // The server still serves.
            assertEquals(404, request(server, "GET", "/segments/x", new byte[0]));
        }
    }

    @Test
    void aClientPublishesLooksUpAndRemoves() throws Exception {
        try (MetadataRegistryServer server = new MetadataRegistryServer(0);
             HttpMetadataRegistry client = new HttpMetadataRegistry(server.url())) {
            assertTrue(client.lookup(SEGMENT.name()).isEmpty());
            client.publish(SEGMENT);
            assertEquals("tcp", client.lookup(SEGMENT.name()).orElseThrow().protocol());
            client.remove(SEGMENT.name());
            assertTrue(client.lookup(SEGMENT.name()).isEmpty());
        }
    }
}
