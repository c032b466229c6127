package dev.airlock.server.http;

import dev.airlock.decision.Stop;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannelOverHttp;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's errors in Airlock's formats. Jetty answers some requests before Javalin sees them — a malformed request
 * line, a NUL or other control character in a header, headers over 8 KB (431), a path that escapes the root or holds
 * {@code %00} — and dispatches others to its error page; both come here instead of Jetty's HTML page. The path, when
 * Jetty had parsed it, picks the format (OpenAI's body under {@code /v1}); otherwise problem+json.
 */
final class EdgeErrors extends ErrorHandler {
    /** The path of the request Jetty is refusing, handed from its channel to the page, on one thread. */
    private static final ThreadLocal<@Nullable String> REFUSED_PATH = new ThreadLocal<>();

    private final Errors errors;
    private @Nullable Server server;

    EdgeErrors(Errors errors) {
        this.errors = errors;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Replaces the server's error page; {@link #listenOnConnectors()} once the connectors exist. */
    void install(Server server) {
        this.server = server;
        server.setErrorHandler(this);
    }

    /**
     * Serves HTTP/1.1 through connections that remember each request's path as it arrived, so that a request Jetty
     * refuses while parsing (before it has a path of its own) is still answered in the format of its path.
     */
    void listenOnConnectors() {
        for (Connector connector :
                Objects.requireNonNull(server, "set before the server starts").getConnectors()) {
            if (connector instanceof AbstractConnector c
                    && c.getConnectionFactory(HttpConnectionFactory.class) instanceof HttpConnectionFactory http
                    && !(http instanceof PathKeeping)) {
                c.addConnectionFactory(new PathKeeping(http.getHttpConfiguration()));
            }
        }
    }

    /** HTTP/1.1 connections whose channels note the request path before Jetty may refuse the request. */
    private static final class PathKeeping extends HttpConnectionFactory {
        PathKeeping(HttpConfiguration config) {
            super(config);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            var connection =
                    new HttpConnection(
                            getHttpConfiguration(), connector, endPoint, isRecordHttpComplianceViolations()) {
                        @Override
                        protected HttpChannelOverHttp newHttpChannel() {
                            return new HttpChannelOverHttp(
                                    this, getConnector(), getHttpConfiguration(), getEndPoint(), this) {
                                private @Nullable String target;

                                @Override
                                public void startRequest(String method, String uri, HttpVersion version) {
                                    target = uri;
                                    super.startRequest(method, uri, version);
                                }

                                @Override
                                public void badMessage(BadMessageException failure) {
                                    REFUSED_PATH.set(pathOf(target));
                                    target = null;
                                    super.badMessage(failure);
                                }

                                @Override
                                public void recycle() {
                                    target = null;
                                    super.recycle();
                                }
                            };
                        }
                    };
            connection.setUseInputDirectByteBuffers(isUseInputDirectByteBuffers());
            connection.setUseOutputDirectByteBuffers(isUseOutputDirectByteBuffers());
            return configure(connection, connector, endPoint);
        }
    }

    /** The path of a request target as sent (origin form, or the path of an absolute URI); null when there is none. */
    static @Nullable String pathOf(@Nullable String target) {
        if (target == null) {
            return null;
        }
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            int slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
            if (slash < 0) {
                return null;
            }
            target = target.substring(slash);
        }
        int end = target.length();
        for (char c : new char[] {'?', '#'}) {
            int at = target.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return target.substring(0, end);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String path = REFUSED_PATH.get();
        REFUSED_PATH.remove();
        Errors.Rendered rendered = errors.render(path, badMessage(status, reason));
        fields.put(HttpHeader.CONTENT_TYPE, rendered.contentType());
        return ByteBuffer.wrap(rendered.body());
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        base.setHandled(true);
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Stop stop = status == 500
                ? Errors.stop(500, "internal_error", "Airlock failed to handle the request.")
                : badMessage(status, message == null ? null : message.toString());
        Errors.Rendered rendered = errors.render(pathOf(base), stop);
        response.setStatus(status);
        response.setContentType(rendered.contentType());
        response.setContentLength(rendered.body().length);
        response.getOutputStream().write(rendered.body());
    }

    /** What Jetty refused, in words; Jetty's reason (e.g. "Illegal character CNTL=0x0") says exactly what. */
    static Stop badMessage(int status, @Nullable String reason) {
        boolean generic = reason == null || reason.isBlank() || reason.equalsIgnoreCase(Errors.titleOf(status));
        String why = generic ? "" : " (" + reason + ")";
        return switch (status) {
            case 431 ->
                Errors.stop(
                        431,
                        "headers_too_large",
                        "The request's headers are larger than Airlock accepts (8 KB in all)" + why + ".");
            case 414 ->
                Errors.stop(414, "uri_too_long", "The request's URI is longer than Airlock accepts" + why + ".");
            case 413 -> Errors.stop(413, "request_too_large", "The request is larger than Airlock accepts" + why + ".");
            case 408 -> Errors.stop(408, "request_timeout", "The request did not arrive in time" + why + ".");
            default ->
                Errors.stop(
                        status,
                        "bad_request",
                        "The request is not valid HTTP" + why
                                + "; check the request line, the path's encoding and the headers.");
        };
    }

    /** The request's path as sent, or null when Jetty refused the request before it had one. */
    private static @Nullable String pathOf(@Nullable Request request) {
        try {
            // the URI as it arrived: Jetty may have replaced the request's own with "/" when it refused the path
            HttpURI uri = request == null || request.getMetaData() == null
                    ? null
                    : request.getMetaData().getURI();
            return uri == null ? null : uri.getPath();
        } catch (RuntimeException notParsed) {
            return null;
        }
    }
}
