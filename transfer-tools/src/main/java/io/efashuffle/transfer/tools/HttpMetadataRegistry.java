package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.engine.MetadataRegistry;
import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Client of a {@link MetadataRegistryServer}. */
public final class HttpMetadataRegistry implements MetadataRegistry {
    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpMetadataRegistry(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    private URI uri(String name) {
        return URI.create(baseUrl + "/segments/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    @Override
    public void publish(SegmentDescriptor descriptor) {
        send(HttpRequest.newBuilder(uri(descriptor.name()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(SegmentDescriptorCodec.encode(descriptor))), 204);
    }

    @Override
    public Optional<SegmentDescriptor> lookup(String segmentName) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(segmentName)).GET(), 200, 404);
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(SegmentDescriptorCodec.decode(r.body()));
    }

    @Override
    public void remove(String segmentName) {
        send(HttpRequest.newBuilder(uri(segmentName)).DELETE(), 204);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, int... ok) {
        try {
            HttpResponse<byte[]> r = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            for (int code : ok) {
                if (r.statusCode() == code) {
                    return r;
                }
            }
            throw new IllegalStateException("registry " + baseUrl + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("registry " + baseUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted talking to registry " + baseUrl, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
