package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedProvider;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * Secure mode end to end over HTTP: every endpoint class × every role (401 without credentials, 403 with
 * too weak a role, problem+json), API key lifecycle, console login with session + CSRF, failed-login rate
 * limit, the audit log, request size limits, CSV export escaping, logic-less templates in a real send, and
 * that no secret ever reaches the log output.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT extends SecureHeraldTestBase {
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>(List.of(ADMIN_KEY, ALICE_PASSWORD,
            BOB_PASSWORD, CAROL_PASSWORD));
    private static String viewerKey;
    private static String editorKey;
    private static long editorKeyId;
    private static long matrixCampaign;

    @LocalServerPort
    int port;
    @Autowired
    ScriptedProvider provider;
    @Autowired
    AudienceService audience;

    SecureClient admin;
    SecureClient editor;
    SecureClient viewer;
    SecureClient nobody;

    enum Need { VIEWER, EDITOR, ADMIN }

    record Call(String method, String path, Need need) {
    }

    @BeforeEach
    void setUp() {
        admin = SecureClient.withKey(port, ADMIN_KEY);
        nobody = SecureClient.anonymous(port);
        synchronized (SecurityIT.class) {
            if (viewerKey == null) {
                viewerKey = createKey("viewer-bot", "viewer").get("key").asString();
                JsonNode editorNode = createKey("editor-bot", "editor");
                editorKey = editorNode.get("key").asString();
                editorKeyId = editorNode.get("id").asLong();
                SECRETS.add(viewerKey);
                SECRETS.add(editorKey);
                matrixCampaign = createCampaign(admin, "Matrix", "Hi {{name}}", "vip");
            }
        }
        editor = SecureClient.withKey(port, editorKey);
        viewer = SecureClient.withKey(port, viewerKey);
        provider.reset();
    }

    @AfterEach
    void noSecretInTheLogs(CapturedOutput output) {
        for (String secret : SECRETS) {
            assertThat(output.getAll()).as("log output must not contain a secret").doesNotContain(secret);
        }
    }

    JsonNode createKey(String name, String role) {
        Api.Response created = admin.post("/api-keys", Api.json(Map.of("name", name, "role", role)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    static long createCampaign(SecureClient client, String name, String template, String rule) {
        Api.Response response = client.post("/campaigns", Api.json(Map.of("name", name, "template", template, "segment_rule", rule)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).isNotBlank();
    }

    List<Call> endpointClasses() {
        long c = matrixCampaign;
        return List.of(
                // read
                new Call("GET", "/campaigns", Need.VIEWER),
                new Call("GET", "/campaigns/" + c, Need.VIEWER),
                new Call("GET", "/campaigns/" + c + "/preview", Need.VIEWER),
                new Call("GET", "/campaigns/" + c + "/stats", Need.VIEWER),
                new Call("GET", "/campaigns/" + c + "/messages", Need.VIEWER),
                new Call("GET", "/campaigns/" + c + "/messages.csv", Need.VIEWER),
                new Call("GET", "/recipients", Need.VIEWER),
                new Call("GET", "/tags", Need.VIEWER),
                new Call("GET", "/imports/1", Need.VIEWER),
                new Call("GET", "/actuator/metrics", Need.VIEWER),
                // write campaigns
                new Call("POST", "/campaigns", Need.EDITOR),
                new Call("PATCH", "/campaigns/" + c, Need.EDITOR),
                new Call("POST", "/v1/camp/create", Need.EDITOR),
                // send and lifecycle
                new Call("POST", "/campaigns/" + c + "/send", Need.EDITOR),
                new Call("POST", "/campaigns/" + c + "/pause", Need.EDITOR),
                new Call("POST", "/campaigns/" + c + "/resume", Need.EDITOR),
                new Call("POST", "/campaigns/" + c + "/cancel", Need.EDITOR),
                new Call("POST", "/campaigns/" + c + "/retry-failed", Need.EDITOR),
                // recipients
                new Call("POST", "/recipients", Need.EDITOR),
                new Call("PATCH", "/recipients/999999", Need.EDITOR),
                new Call("DELETE", "/recipients/999999", Need.EDITOR),
                new Call("POST", "/recipients/import", Need.EDITOR),
                new Call("POST", "/recipients/999999/unsubscribe", Need.EDITOR),
                // suppression list
                new Call("GET", "/suppressions", Need.VIEWER),
                new Call("POST", "/suppressions", Need.EDITOR),
                new Call("DELETE", "/suppressions/999999", Need.EDITOR),
                // operations (issue 14)
                new Call("GET", "/workers", Need.VIEWER),
                new Call("GET", "/ops/summary", Need.VIEWER),
                // bounce reports: the webhook role, or admin
                new Call("POST", "/webhooks/bounce", Need.ADMIN),
                // admin
                new Call("GET", "/api-keys", Need.ADMIN),
                new Call("POST", "/api-keys", Need.ADMIN),
                new Call("DELETE", "/api-keys/999999", Need.ADMIN),
                new Call("GET", "/audit", Need.ADMIN),
                new Call("POST", "/some/future/endpoint", Need.ADMIN));
    }

    @Test
    void everyEndpointClassAnswers401WithoutCredentialsAnd403ForTooWeakARole() {
        List<String> failures = new ArrayList<>();
        Map<Need, SecureClient> byRole = Map.of(Need.VIEWER, viewer, Need.EDITOR, editor, Need.ADMIN, admin);
        for (Call call : endpointClasses()) {
            Api.Response anonymous = nobody.method(call.method(), call.path());
            check(failures, call, "no credentials", anonymous, 401);
            for (Need role : Need.values()) {
                Api.Response response = byRole.get(role).method(call.method(), call.path());
                if (role.ordinal() < call.need().ordinal()) {
                    check(failures, call, role.name(), response, 403);
                } else if (response.status() == 401 || response.status() == 403) {
                    failures.add(call + " as " + role + ": expected access, got " + response.status() + " " + response.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void check(List<String> failures, Call call, String who, Api.Response response, int expected) {
        if (response.status() != expected) {
            failures.add(call + " as " + who + ": expected " + expected + ", got " + response.status() + " " + response.body());
        } else if (response.contentType() == null || !response.contentType().startsWith("application/problem+json")
                || response.json().get("status").asInt() != expected) {
            failures.add(call + " as " + who + ": not a problem+json body: " + response.contentType() + " " + response.body());
        }
    }

    @Test
    void rolesGetTheirAnswers() {
        assertThat(viewer.get("/campaigns").status()).isEqualTo(200);
        assertThat(viewer.get("/campaigns/" + matrixCampaign + "/stats").status()).isEqualTo(200);
        long created = createCampaign(editor, "By editor", "Hi {{name}}", "vip,tw");
        assertThat(editor.patch("/campaigns/" + created, Api.json(Map.of("name", "Renamed"))).status()).isEqualTo(200);
        assertThat(editor.post("/campaigns/" + created + "/cancel").status()).isEqualTo(200);
        assertThat(admin.get("/audit").status()).isEqualTo(200);
        assertThat(admin.get("/api-keys").status()).isEqualTo(200);
        assertThat(viewer.get("/workers").status()).isEqualTo(200);
        assertThat(viewer.get("/ops/summary").status()).isEqualTo(200);
        Api.Response forbidden = viewer.post("/campaigns/" + created + "/send");
        assertProblem(forbidden, 403);
        assertThat(forbidden.json().get("detail").asString()).contains("viewer");
        Api.Response unauthorized = nobody.get("/campaigns");
        assertProblem(unauthorized, 401);
        assertThat(unauthorized.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aWebhookKeyMayOnlyReportWhatProvidersSendBack() {
        String webhookKey = createKey("ses-relay", "webhook").get("key").asString();
        SECRETS.add(webhookKey);
        SecureClient webhook = SecureClient.withKey(port, webhookKey);
        Api.Response bounced = webhook.post("/webhooks/bounce", Api.json(Map.of("email", "gone@webhook-role.test",
                "type", "hard", "reason", "550 5.1.1 user unknown")));
        assertThat(bounced.status()).as(bounced.body()).isEqualTo(200);
        assertThat(bounced.json().get("suppressed").asBoolean()).isTrue();
        assertProblem(webhook.get("/campaigns"), 403);
        assertProblem(webhook.get("/suppressions"), 403);
        assertProblem(webhook.post("/suppressions", Api.json(Map.of("address", "x@webhook-role.test"))), 403);
        assertProblem(webhook.get("/api-keys"), 403);
        assertProblem(editor.post("/webhooks/bounce", Api.json(Map.of("email", "x@webhook-role.test", "type", "hard"))), 403);
        assertProblem(nobody.post("/webhooks/bounce", Api.json(Map.of("email", "x@webhook-role.test", "type", "hard"))), 401);
        // The provider-signed callbacks need no key, but a valid signature: without one they are 403.
        assertProblem(nobody.post("/webhooks/ses", "{\"Type\":\"Notification\"}"), 403);
        // Viewers see the suppression it made; the audit log names the key.
        assertThat(viewer.get("/suppressions?q=gone@webhook-role.test").json().get("items")).hasSize(1);
        JsonNode audit = admin.get("/audit?action=recipient.bounce").json().get("items");
        assertThat(audit.get(0).get("actor").asString()).contains("ses-relay");
    }

    @Test
    void publicEndpointsNeedNoCredentials() {
        assertThat(nobody.get("/actuator/health").status()).isEqualTo(200);
        // Kubernetes probes carry no credentials
        assertThat(nobody.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(nobody.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(nobody.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(nobody.get("/v3/api-docs").body()).contains("bearer");
        assertThat(nobody.get("/ui/").status()).isNotIn(401, 403);
        assertThat(nobody.get("/ui/campaigns/1").status()).isNotIn(401, 403);
        Api.Response me = nobody.get("/auth/me");
        assertProblem(me, 401);
        assertThat(me.json().get("mode").asString()).isEqualTo("secure");
        assertThat(me.json().get("login_methods").toString()).contains("api_key", "password");
        Api.Response mine = viewer.get("/auth/me");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().get("role").asString()).isEqualTo("viewer");
        assertThat(mine.json().get("mode").asString()).isEqualTo("secure");
        assertThat(mine.json().get("method").asString()).isEqualTo("api_key");
    }

    @Test
    void apiKeySecretIsShownOnceStoredHashedAndRevocable() {
        JsonNode created = createKey("ci-pipeline", "editor");
        String secret = created.get("key").asString();
        SECRETS.add(secret);
        long id = created.get("id").asLong();
        assertThat(secret).startsWith("hk_").hasSizeGreaterThan(40);
        assertThat(created.get("role").asString()).isEqualTo("editor");
        assertThat(created.get("prefix").asString()).isEqualTo(secret.substring(0, 10));
        assertThat(created.get("created_by").asString()).startsWith("key:1:");

        Api.Response list = admin.get("/api-keys");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(secret).doesNotContain(ApiKeyService.hash(secret)).doesNotContain(ADMIN_KEY);
        assertThat(list.body()).contains("ci-pipeline");
        assertThat(admin.get("/api-keys/" + id).body()).doesNotContain(secret);

        SecureClient ci = SecureClient.withKey(port, secret);
        assertThat(ci.get("/campaigns").status()).isEqualTo(200);
        assertThat(admin.delete("/api-keys/" + id).status()).isEqualTo(204);
        assertProblem(ci.get("/campaigns"), 401);
        assertThat(admin.get("/api-keys/" + id).json().get("revoked_at").isNull()).isFalse();
        assertThat(admin.delete("/api-keys/" + id).status()).isEqualTo(204);
        assertProblem(admin.delete("/api-keys/987654"), 404);

        Api.Response bad = admin.post("/api-keys", Api.json(Map.of("name", "x", "role", "root")));
        assertProblem(bad, 400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
        assertProblem(SecureClient.withKey(port, "hk_not-a-real-key-at-all-000000000000000000").get("/campaigns"), 401);
    }

    @Test
    void consoleLogsInWithAKeyAndUsesSessionCookieWithCsrf() {
        SecureClient browser = SecureClient.anonymous(port);
        Api.Response before = browser.get("/auth/me");
        assertProblem(before, 401);
        assertThat(browser.cookie("XSRF-TOKEN")).as("the CSRF cookie comes with the first answer").isNotBlank();

        browser.sendCsrf = false;
        assertProblem(browser.post("/auth/login", Api.json(Map.of("api_key", editorKey))), 403);
        browser.sendCsrf = true;
        Api.Response login = browser.post("/auth/login", Api.json(Map.of("api_key", editorKey)));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().get("role").asString()).isEqualTo("editor");
        String sessionCookie = login.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("HERALD_SESSION=")).findFirst().orElseThrow();
        assertThat(sessionCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(browser.cookie("XSRF-TOKEN")).isNotBlank();

        assertThat(browser.get("/auth/me").json().get("name").asString()).isEqualTo("editor-bot");
        assertThat(browser.get("/campaigns").status()).isEqualTo(200);
        browser.sendCsrf = false;
        assertProblem(browser.post("/campaigns", Api.json(Map.of("name", "x", "template", "Hi", "segment_rule", "vip"))), 403);
        browser.sendCsrf = true;
        long id = createCampaign(browser, "From the console", "Hi {{name}}", "vip");
        assertThat(browser.post("/campaigns/" + id + "/cancel").status()).isEqualTo(200);
        assertProblem(browser.get("/api-keys"), 403);

        assertThat(browser.post("/auth/logout").status()).isEqualTo(204);
        assertProblem(browser.get("/campaigns"), 401);
    }

    @Test
    void consoleLogsInWithUsernameAndPassword() {
        SecureClient alice = SecureClient.anonymous(port);
        alice.get("/auth/me");
        Api.Response wrong = alice.post("/auth/login", Api.json(Map.of("username", "alice", "password", "nope")));
        assertProblem(wrong, 401);
        Api.Response ok = alice.post("/auth/login", Api.json(Map.of("username", "alice", "password", ALICE_PASSWORD)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("role").asString()).isEqualTo("editor");
        assertThat(ok.json().get("actor").asString()).isEqualTo("user:alice");
        long id = createCampaign(alice, "Alice's", "Hi {{name}}", "vip");
        assertThat(alice.post("/campaigns/" + id + "/cancel").status()).isEqualTo(200);

        SecureClient bob = SecureClient.anonymous(port);
        bob.get("/auth/me");
        assertThat(bob.post("/auth/login", Api.json(Map.of("username", "bob", "password", BOB_PASSWORD))).status()).isEqualTo(200);
        assertThat(bob.get("/campaigns").status()).isEqualTo(200);
        assertProblem(bob.post("/campaigns", Api.json(Map.of("name", "x", "template", "Hi", "segment_rule", "vip"))), 403);
    }

    @Test
    void tooManyFailedLoginsAre429WithRetryAfter() {
        SecureClient attacker = SecureClient.anonymous(port);
        attacker.get("/auth/me");
        for (int i = 0; i < 5; i++) {
            assertProblem(attacker.post("/auth/login", Api.json(Map.of("username", "carol", "password", "guess" + i))), 401);
        }
        Api.Response blocked = attacker.post("/auth/login", Api.json(Map.of("username", "carol", "password", CAROL_PASSWORD)));
        assertProblem(blocked, 429);
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);

        // API key guesses are limited per key prefix too.
        String guessed = "hk_Guessing0000000000000000000000000000000000";
        for (int i = 0; i < 5; i++) {
            assertProblem(SecureClient.withKey(port, guessed + i).get("/campaigns"), 401);
        }
        Api.Response keyBlocked = SecureClient.withKey(port, guessed + "x").get("/campaigns");
        assertProblem(keyBlocked, 429);
        assertThat(keyBlocked.header("Retry-After")).isNotBlank();
        // Other callers are not affected.
        assertThat(viewer.get("/campaigns").status()).isEqualTo(200);
    }

    @Test
    void auditLogRecordsWhoCreatedSentPausedAndCancelledWhat() throws Exception {
        long id = createCampaign(editor, "Audited", "Hi {{name}}", "vip");
        assertThat(editor.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        Api.Response paused = editor.post("/campaigns/" + id + "/pause");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(editor.post("/campaigns/" + id + "/cancel").status()).isEqualTo(200);

        String actor = "key:" + editorKeyId + ":editor-bot";
        Api.Response audit = admin.get("/audit?actor=" + actor + "&limit=100");
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        List<JsonNode> mine = StreamSupport.stream(audit.json().get("items").spliterator(), false)
                .filter(e -> String.valueOf(id).equals(e.get("target_id").asString()))
                .toList();
        assertThat(mine).extracting(e -> e.get("action").asString())
                .containsExactly("campaign.cancel", "campaign.pause", "campaign.send", "campaign.create");
        assertThat(mine).allSatisfy(e -> {
            assertThat(e.get("actor").asString()).isEqualTo(actor);
            assertThat(e.get("role").asString()).isEqualTo("editor");
            assertThat(e.get("target_type").asString()).isEqualTo("campaign");
            assertThat(e.get("at").asString()).isNotBlank();
        });

        Api.Response sends = admin.get("/audit?action=campaign.send&limit=1");
        assertThat(sends.json().get("items")).hasSize(1);
        assertThat(sends.json().get("items").get(0).get("action").asString()).isEqualTo("campaign.send");
        Api.Response keys = admin.get("/audit?action=api_key.create");
        assertThat(keys.json().get("items").get(0).get("actor").asString()).startsWith("key:1:");
        assertProblem(viewer.get("/audit"), 403);
        assertProblem(admin.get("/audit?limit=0"), 400);
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"template\":\"Hi\",\"segment_rule\":\"vip\"}";
        assertProblem(editor.post("/campaigns", big), 413);
        Api.Response chunked = editor.postChunked("/campaigns", big.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertProblem(chunked, 413);
        Api.Response small = editor.postChunked("/campaigns",
                Api.json(Map.of("name", "Chunked", "template", "Hi", "segment_rule", "vip")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(small.status()).as(small.body()).isEqualTo(201);
    }

    @Test
    void templatesCannotReachServerInternalsInARealSend() throws Exception {
        long id = createCampaign(editor, "Probe", "Hi {{name}}[{{name.class}}][{{name.bytes}}][{{class}}][{{getClass}}]"
                + "[{{#name}}{{class.name}}{{/name}}]", "vip,tw");
        Api.Response preview = viewer.get("/campaigns/" + id + "/preview");
        assertThat(preview.json().get("items").get(0).get("rendered").asString()).matches("Hi [^\\[]+\\[\\]\\[\\]\\[\\]\\[\\]\\[\\]");
        assertThat(editor.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        waitUntil(() -> "COMPLETED".equals(viewer.get("/campaigns/" + id).json().get("status").asString()));
        Set<String> bodies = Set.copyOf(provider.bodies.values());
        assertThat(bodies).containsExactlyInAnyOrder("Hi Alice Chen[][][][][]", "Hi Chloé Dubois[][][][][]",
                "Hi Emma Wilson[][][][][]");
    }

    @Test
    void csvExportNeutralisesFormulas() throws Exception {
        audience.insertAll(List.of(
                new NewRecipient("=HYPERLINK(\"http://evil\",\"x\")", "formula1@example.com", null, List.of("csvprobe"), Map.of()),
                new NewRecipient("+1-555 Plus", "formula2@example.com", null, List.of("csvprobe"), Map.of()),
                new NewRecipient("-2+3", "formula3@example.com", null, List.of("csvprobe"), Map.of()),
                new NewRecipient("@SUM(A1)", "@formula4@example.com", null, List.of("csvprobe"), Map.of()),
                new NewRecipient("\tTabbed", "formula5@example.com", null, List.of("csvprobe"), Map.of()),
                new NewRecipient("Plain, \"quoted\" name", "plain@example.com", null, List.of("csvprobe"), Map.of())),
                System.currentTimeMillis());
        long id = createCampaign(editor, "CSV", "Hi {{name}}", "csvprobe");
        assertThat(editor.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        waitUntil(() -> "COMPLETED".equals(viewer.get("/campaigns/" + id).json().get("status").asString()));

        Api.Response csv = viewer.get("/campaigns/" + id + "/messages.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).contains("campaign-" + id + "-messages.csv");
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(csv.body())).getRecords();
        assertThat(rows).hasSize(6);
        assertThat(rows).extracting(r -> r.get("name")).containsExactlyInAnyOrder(
                "'=HYPERLINK(\"http://evil\",\"x\")", "'+1-555 Plus", "'-2+3", "'@SUM(A1)", "'\tTabbed", "Plain, \"quoted\" name");
        assertThat(rows).extracting(r -> r.get("email")).contains("'@formula4@example.com", "plain@example.com");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SENT");
            assertThat(r.get("tags")).isEqualTo("csvprobe");
        });
        assertProblem(nobody.get("/campaigns/" + id + "/messages.csv"), 401);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
