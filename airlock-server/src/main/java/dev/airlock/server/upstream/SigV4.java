package dev.airlock.server.upstream;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs each request with AWS Signature Version 4 by the AWS SDK's own signer (its signer module only, not the SDK's
 * clients): the host, the time and the body's hash are signed, so the headers are made per request.
 */
final class SigV4 implements UpstreamHttp.Signer {
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final String service;
    private final AwsCredentialsIdentity credentials;
    private final Clock clock;

    SigV4(
            String region,
            String service,
            String accessKeyId,
            String secretAccessKey,
            @Nullable String sessionToken,
            Clock clock) {
        this.region = region;
        this.service = service;
        this.credentials = sessionToken == null || sessionToken.isBlank()
                ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        this.clock = clock;
    }

    @Override
    public Map<String, String> headersFor(URI url, byte[] body) {
        SdkHttpRequest request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(url).build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getValue().isEmpty()) {
                headers.put(h.getKey(), h.getValue().getFirst()); // the HTTP client sends the same Host
            }
        }
        return headers;
    }
}
