package io.herald.web;

import java.util.Optional;

import io.herald.feedback.UnsubscribeLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The unsubscribe link in every email ({@code List-Unsubscribe}, {@code {{unsubscribe_url}}}): a small page
 * that works without JavaScript, and RFC 8058 one-click POSTs from mail clients. No login: the signed token
 * is the credential. A forged or altered token is a 404 and changes nothing.
 */
@RestController
@Tag(name = "Unsubscribe", description = "Signed one-click unsubscribe links (no login)")
class UnsubscribeController {
    private final UnsubscribeLinks links;

    UnsubscribeController(UnsubscribeLinks links) {
        this.links = links;
    }

    @GetMapping("/u/{token}")
    @Operation(summary = "Unsubscribe page", description = "Names the address and offers an Unsubscribe button; 404 for a forged token")
    ResponseEntity<?> page(@PathVariable String token, HttpServletRequest request) {
        Optional<UnsubscribeLinks.Target> target = links.resolve(token);
        if (target.isEmpty()) {
            return notFound(request);
        }
        String address = HtmlUtils.htmlEscape(displayAddress(target.get()));
        boolean already = !"ACTIVE".equals(target.get().recipient().status());
        String body = already
                ? "<h1>You are unsubscribed</h1><p><strong>" + address + "</strong> receives no more messages from us.</p>"
                : "<h1>Unsubscribe</h1><p>Stop all messages to <strong>" + address + "</strong>?</p>"
                + "<form method=\"post\" action=\"" + HtmlUtils.htmlEscape(token) + "\">"
                + "<button type=\"submit\" name=\"confirm\" value=\"yes\">Unsubscribe</button></form>";
        return html(HttpStatus.OK, "Unsubscribe", body);
    }

    @PostMapping("/u/{token}")
    @Operation(summary = "Unsubscribe (one-click)", description = "Form post from the page, or RFC 8058's "
            + "List-Unsubscribe=One-Click body from a mail client. Repeating it is harmless (200). 404 for a forged token.")
    ResponseEntity<?> unsubscribe(@PathVariable String token, HttpServletRequest request) {
        Optional<UnsubscribeLinks.Target> target = links.unsubscribe(token, request.getRemoteAddr());
        if (target.isEmpty()) {
            return notFound(request);
        }
        String address = HtmlUtils.htmlEscape(displayAddress(target.get()));
        return html(HttpStatus.OK, "Unsubscribed", "<h1>You are unsubscribed</h1><p><strong>" + address
                + "</strong> will receive no more messages from us.</p>");
    }

    private static String displayAddress(UnsubscribeLinks.Target target) {
        String email = target.recipient().email();
        return email != null ? email : target.recipient().phone() != null ? target.recipient().phone() : target.recipient().name();
    }

    /** Browsers get a page; API clients the usual problem+json. */
    private static ResponseEntity<?> notFound(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            return html(HttpStatus.NOT_FOUND, "Link not valid", "<h1>This link is not valid</h1>"
                    + "<p>It may have been altered. Use the unsubscribe link from the message itself.</p>");
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "This unsubscribe link is not valid: its signature does not match, or its recipient no longer exists");
        problem.setTitle("Not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ResponseEntity<String> html(HttpStatus status, String title, String body) {
        String page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}"
                + "button{font-size:1rem;padding:.5rem 1.25rem;border-radius:.375rem;border:0;background:#4f46e5;color:#fff;cursor:pointer}"
                + "</style></head><body>" + body + "</body></html>";
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").body(page);
    }
}
