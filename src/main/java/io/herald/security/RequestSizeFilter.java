package io.herald.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects request bodies above {@code herald.security.max-body-size} (1 MB by default) with 413
 * problem+json before anything parses them. Multipart uploads (CSV import) have their own, larger limit
 * ({@code spring.servlet.multipart.*}). A body without Content-Length (chunked) is read up to the limit.
 */
class RequestSizeFilter extends OncePerRequestFilter {
    private static final Set<String> NO_BODY = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private final long maxBytes;
    private final ProblemWriter problems;

    RequestSizeFilter(long maxBytes, ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (NO_BODY.contains(request.getMethod())
                || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/"))) {
            chain.doFilter(request, response);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            tooLarge(request, response);
            return;
        }
        if (length < 0 && request.getHeader("Transfer-Encoding") != null) {
            byte[] body = readAtMost(request.getInputStream(), maxBytes + 1);
            if (body.length > maxBytes) {
                tooLarge(request, response);
                return;
            }
            chain.doFilter(new BufferedBodyRequest(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Tomcat may close the connection instead of reading the rest; say so to the client.
        response.setHeader("Connection", "close");
        problems.write(request, response, ProblemWriter.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "Request body too large", "The request body is larger than " + maxBytes + " bytes"));
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - out.size()))) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
