package org.wikiedits.testing;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;

/**
 * s3proxy with an in-memory blob store on a free loopback port; path-style, credentials not checked.
 * It can be stopped and started again on the same port with the same objects (S3 unreachable for a
 * while), and it records the multipart uploads it completed, by key, with their number of parts.
 */
public final class S3ProxyServer implements AutoCloseable {

    private final BlobStore store;
    private final int port;
    private final Map<String, Integer> multipartUploads = new ConcurrentHashMap<>();
    private S3Proxy proxy;

    private S3ProxyServer(int port) {
        this.port = port;
        this.store = new ForwardingBlobStore(new TransientNio2BlobStore()) {
            @Override
            public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                           CompleteMultipartUploadRequest request) {
                CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
                multipartUploads.put(request.key(), request.multipartUpload().parts().size());
                return response;
            }
        };
    }

    public static S3ProxyServer start() throws Exception {
        S3ProxyServer server = new S3ProxyServer(Kinesalite.freePort());
        server.restart();
        return server;
    }

    /** Starts serving again on the same port, with the objects it held. */
    public synchronized void restart() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(20);
        }
    }

    /** Stops serving: connections are refused until {@link #restart()}. */
    public synchronized void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The completed multipart uploads: object key to number of parts. */
    public Map<String, Integer> multipartUploads() {
        return Map.copyOf(multipartUploads);
    }

    @Override
    public synchronized void close() throws Exception {
        proxy.stop();
    }
}
