package io.herald.web;

import java.util.Base64;
import java.util.Optional;

import io.herald.tracking.TrackingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tracked links and the open pixel in emails. No login: the signed token is the credential. Both answer at
 * once; the event is queued for the batched writer. A forged or altered token is a 404.
 */
@RestController
@Tag(name = "Tracking", description = "Click redirects and open pixels of tracked emails (no login)")
class TrackingController {
    /** A transparent 1x1 GIF (43 bytes). */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final TrackingService tracking;

    TrackingController(TrackingService tracking) {
        this.tracking = tracking;
    }

    @GetMapping("/l/{token}")
    @Operation(summary = "Follow a tracked link", description = "302 to the link's original URL; the click is counted"
            + " (once per recipient and link for the unique counts). 404 for a forged or altered token.")
    ResponseEntity<?> click(@PathVariable String token, HttpServletRequest request) {
        Optional<String> url = tracking.click(token, request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
        if (url.isEmpty()) {
            return notFound();
        }
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, url.get())
                .cacheControl(CacheControl.noStore()).header("Referrer-Policy", "no-referrer").build();
    }

    @GetMapping("/o/{token}.gif")
    @Operation(summary = "Open pixel", description = "A 1x1 transparent GIF, never cached; the open is counted (once"
            + " per recipient for the unique count). 404 for a forged or altered token.")
    ResponseEntity<?> open(@PathVariable String token, HttpServletRequest request) {
        if (!tracking.open(token, request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT))) {
            return notFound();
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF)
                .cacheControl(CacheControl.noStore().mustRevalidate()).header(HttpHeaders.PRAGMA, "no-cache")
                .header(HttpHeaders.EXPIRES, "0").body(PIXEL);
    }

    private static ResponseEntity<ProblemDetail> notFound() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "This tracking link is not valid: its signature does not match or it names no link");
        problem.setTitle("Not found");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
