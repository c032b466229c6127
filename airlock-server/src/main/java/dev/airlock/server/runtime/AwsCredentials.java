package dev.airlock.server.runtime;

import dev.airlock.server.config.ProviderConfig;
import dev.airlock.server.upstream.NativeChatProvider;
import java.util.Map;

/**
 * A Bedrock provider's credentials: those its configuration gives, else the standard AWS environment variables, read
 * once when the node starts. Missing ones stop the start with the option to set.
 */
final class AwsCredentials {
    private AwsCredentials() {}

    static NativeChatProvider bedrock(String name, ProviderConfig.BedrockProvider b, Map<String, String> env) {
        boolean configured = b.accessKeyId() != null;
        String keyId = configured ? b.accessKeyId() : env.get("AWS_ACCESS_KEY_ID");
        String secret = configured ? b.secretAccessKey() : env.get("AWS_SECRET_ACCESS_KEY");
        String token = configured ? b.sessionToken() : env.getOrDefault("AWS_SESSION_TOKEN", b.sessionToken());
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("providers." + name + ": no AWS credentials; set access_key_id and"
                    + " secret_access_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
        }
        return NativeChatProvider.bedrock(
                name, b.endpoint(), b.region(), keyId, secret, token, b.timeout(), b.connectTimeout());
    }
}
