package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import tools.jackson.databind.JsonNode;

/**
 * The issue-5 API over HTTP on a real database: recipients, CSV import, seed 004's create, scheduled
 * campaigns and edits. Subclasses pick the database; each class gets a fresh one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractAudienceIT {
    static final Path IMPORT_DIR;
    static final Path OUTSIDE_DIR;
    static final int MAX_BYTES = 256 * 1024;

    static {
        try {
            IMPORT_DIR = Files.createTempDirectory("herald-imports-");
            OUTSIDE_DIR = Files.createTempDirectory("herald-outside-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;
    Api api;
    /** A prefix unique to each test so tests sharing the database never see each other's data. */
    String unique;
    int phoneBase;
    private static final java.util.concurrent.atomic.AtomicInteger PHONES = new java.util.concurrent.atomic.AtomicInteger();

    static void register(DynamicPropertyRegistry registry, TestDatabase database) {
        database.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.provider.failure-rate", () -> "0");
        registry.add("herald.delivery.rate-per-sec", () -> "0");
        registry.add("herald.scheduler.poll-interval", () -> "200ms");
        registry.add("herald.audience.default-region", () -> "TW");
        registry.add("herald.import.dir", IMPORT_DIR::toString);
        registry.add("herald.import.max-bytes", () -> MAX_BYTES + "B");
        registry.add("herald.import.batch-size", () -> "100");
    }

    @BeforeEach
    void setUp() {
        api = new Api(port);
        unique = "t" + UUID.randomUUID().toString().substring(0, 8);
        phoneBase = PHONES.getAndAdd(10);
    }

    // ---------------------------------------------------------------- recipients

    @Test
    void recipientsAreValidatedNormalisedListedAndCounted() {
        Response created = api.post("/recipients", Map.of("name", "Ann Lee", "email", " Ann." + unique + "@Example.COM ",
                "phone", "0912 345 " + phoneSuffix(1), "tags", List.of("VIP", unique), "attributes", Map.of("city", "Taipei", "age", 31)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode ann = created.json();
        assertThat(created.location()).isEqualTo("/recipients/" + ann.get("id").asLong());
        assertThat(ann.get("email").asString()).isEqualTo("ann." + unique + "@example.com");
        assertThat(ann.get("phone").asString()).isEqualTo("+886912345" + phoneSuffix(1));
        assertThat(strings(ann.get("tags"))).containsExactly("vip", unique);
        assertThat(ann.get("attributes").get("age").asString()).isEqualTo("31");
        assertThat(ann.get("status").asString()).isEqualTo("ACTIVE");

        Response duplicate = api.post("/recipients", Map.of("name", "Other", "email", "ANN." + unique + "@example.com"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
        assertThat(duplicate.json().get("existing_id").asLong()).isEqualTo(ann.get("id").asLong());

        Response bad = api.post("/recipients", Map.of("name", "Bad", "email", "not-an-email", "phone", "12"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(fields(bad.json())).contains("email", "phone");
        Response neither = api.post("/recipients", Map.of("name", "Nobody"));
        assertThat(neither.status()).isEqualTo(400);
        assertThat(fields(neither.json())).containsExactly("email");

        api.post("/recipients", Map.of("name", "Bob Stone", "email", "bob." + unique + "@example.com", "tags", List.of(unique)));
        api.post("/recipients", Map.of("name", "Cid Vip", "phone", "+886912345" + phoneSuffix(2), "tags", List.of(unique, "vip")));

        assertThat(names(api.get("/recipients?tag=" + unique + ",vip").json())).containsExactly("Cid Vip", "Ann Lee");
        assertThat(names(api.get("/recipients?tag=" + unique + "&q=STONE").json())).containsExactly("Bob Stone");
        assertThat(names(api.get("/recipients?tag=" + unique + "&q=345" + phoneSuffix(2)).json())).containsExactly("Cid Vip");
        assertThat(api.get("/recipients/count?tag=" + unique + ",vip").json().get("count").asLong()).isEqualTo(2);

        // keyset paging: newest first, next_cursor until the end
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/recipients?limit=1&tag=" + unique + (cursor == null ? "" : "&cursor=" + cursor)).json();
            paged.addAll(names(page));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        assertThat(paged).containsExactly("Cid Vip", "Bob Stone", "Ann Lee");

        assertThat(tagCount(unique)).isEqualTo(3);

        long annId = ann.get("id").asLong();
        Response patched = api.patch("/recipients/" + annId, Map.of("name", "Ann Chen", "tags", List.of(unique)));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("Ann Chen");
        assertThat(api.get("/recipients/count?tag=" + unique + ",vip").json().get("count").asLong()).isEqualTo(1);
        assertThat(api.get("/recipients/999999999").status()).isEqualTo(404);
        assertThat(api.get("/recipients?tag=bad%20tag").status()).isEqualTo(400);
    }

    @Test
    void unsubscribedAndDeletedRecipientsGetNoLaterSendButHistoryStays() {
        long a = createRecipient("Amy", "amy." + unique + "@example.com", unique);
        long b = createRecipient("Ben", "ben." + unique + "@example.com", unique);
        long c = createRecipient("Cat", "cat." + unique + "@example.com", unique);
        long first = sendNow("First " + unique, "Hi {{name}}", unique);
        awaitCompleted(first);
        assertThat(messageRecipients(first)).containsExactlyInAnyOrder(a, b, c);

        assertThat(api.post("/recipients/" + a + "/unsubscribe", Map.of()).json().get("status").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(api.delete("/recipients/" + b).status()).isEqualTo(204);
        assertThat(api.get("/recipients/" + b).status()).isEqualTo(404);
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(1);
        assertThat(tagCount(unique)).as("a deleted recipient's tag rows are gone").isEqualTo(2);

        long second = sendNow("Second " + unique, "Hi again {{name}}", unique);
        awaitCompleted(second);
        assertThat(messageRecipients(second)).containsExactly(c);

        // history of the first campaign still names the deleted recipient
        JsonNode history = api.get("/campaigns/" + first + "/messages?limit=100").json().get("items");
        List<String> names = new ArrayList<>();
        history.forEach(m -> names.add(m.get("recipient").get("name").asString()));
        assertThat(names).containsExactlyInAnyOrder("Amy", "Ben", "Cat");

        // re-creating the deleted recipient's email brings that recipient back
        Response back = api.post("/recipients", Map.of("name", "Ben Again", "email", "ben." + unique + "@example.com",
                "tags", List.of(unique)));
        assertThat(back.status()).isEqualTo(201);
        assertThat(back.json().get("id").asLong()).isEqualTo(b);
        assertThat(back.json().get("status").asString()).isEqualTo("ACTIVE");
    }

    // ---------------------------------------------------------------- import

    @Test
    void importKeepsGoodRowsReportsBadOnesByRowAndNeverDuplicates() {
        long existing = createRecipient("Old Name", "old." + unique + "@example.com", "keep-" + unique);
        String csv = "\uFEFFname,email,phone,tags,City,\"First Visit\"\r\n"
                + "Ann," + "ann." + unique + "@example.com,0912 000 " + phoneSuffix(1) + ",vip;" + unique + "x,Taipei,2024-01-01\r\n"
                + "\"Lee, Bob\",bob." + unique + "@EXAMPLE.com,,vip|tw,\"Tai\nchung\",\r\n"
                + "Bad Email,not-an-email,,,,\r\n"
                + "Bad Phone,,+1 555,,,\r\n"
                + "Nobody,,,,,\r\n"
                + "Ann Twice,ANN." + unique + "@example.com,,,,\r\n"
                + "New Old,old." + unique + "@example.com,,vip,Hsinchu,\r\n"
                + "Phone\t\\ Only,,+886 912 000 " + phoneSuffix(2) + ",,,\r\n";
        Response response = api.upload("/recipients/import", "people.csv", csv.getBytes(StandardCharsets.UTF_8),
                Map.of("tags", unique));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(result.get("rows").asLong()).isEqualTo(8);
        assertThat(result.get("imported").asLong()).isEqualTo(3);
        assertThat(result.get("updated").asLong()).isEqualTo(1);
        assertThat(result.get("skipped").asLong()).isEqualTo(4);
        List<String> errors = new ArrayList<>();
        result.get("errors").forEach(e -> errors.add(e.get("row").asLong() + ":" + text(e.get("column"))));
        assertThat(errors).containsExactly("4:email", "5:phone", "6:email", "7:email");

        JsonNode stored = api.get("/recipients?tag=" + unique).json();
        assertThat(names(stored)).containsExactlyInAnyOrder("Ann", "Lee, Bob", "New Old", "Phone\t\\ Only");
        JsonNode bob = find(stored, "Lee, Bob");
        assertThat(bob.get("email").asString()).isEqualTo("bob." + unique + "@example.com");
        assertThat(bob.get("attributes").get("City").asString()).isEqualTo("Tai\nchung");
        assertThat(strings(bob.get("tags"))).containsExactly("vip", "tw", unique);
        JsonNode ann = find(stored, "Ann");
        assertThat(ann.get("phone").asString()).isEqualTo("+886912000" + phoneSuffix(1));
        assertThat(ann.get("attributes").get("First_Visit").asString()).isEqualTo("2024-01-01");
        JsonNode old = find(stored, "New Old");
        assertThat(old.get("id").asLong()).isEqualTo(existing);
        assertThat(strings(old.get("tags"))).containsExactly("keep-" + unique, "vip", unique);
        assertThat(old.get("attributes").get("City").asString()).isEqualTo("Hsinchu");

        // the same file again: nothing new, every good row an update
        JsonNode again = api.upload("/recipients/import", "people.csv", csv.getBytes(StandardCharsets.UTF_8),
                Map.of("tags", unique)).json();
        assertThat(again.get("imported").asLong()).isZero();
        assertThat(again.get("updated").asLong()).isEqualTo(4);
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(4);
        assertThat(api.get("/imports/" + again.get("id").asLong()).json().get("updated").asLong()).isEqualTo(4);

        // dry run counts but stores nothing
        String more = "email\nnew1." + unique + "@example.com\nnew2." + unique + "@example.com\n";
        JsonNode dry = api.upload("/recipients/import", "more.csv", more.getBytes(StandardCharsets.UTF_8),
                Map.of("tags", unique, "dry_run", "true")).json();
        assertThat(dry.get("imported").asLong()).isEqualTo(2);
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(4);
    }

    /**
     * Batches of new recipients are stored by inserts alone, several at once; a batch that meets an existing
     * recipient is rolled back and stored with the lookup, and later all-new batches go back to inserts alone.
     * Counts, updates and the absence of duplicates must come out as if every batch had been looked up in file order.
     */
    @Test
    void multiBatchImportsMergeExistingRecipientsWhereverTheyAppear() {
        long existing = createRecipient("Before", "old." + unique + "@example.com", "before-" + unique);
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < 350; i++) {
            String email = i == 170 ? "old." + unique + "@example.com" : "m" + i + "." + unique + "@example.com";
            csv.append(i == 170 ? "After" : "M" + i).append(',').append(email).append(",row\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        JsonNode first = api.upload("/recipients/import", "batches.csv", bytes, Map.of("tags", unique)).json();
        assertThat(first.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(first.get("imported").asLong()).isEqualTo(349);
        assertThat(first.get("updated").asLong()).isEqualTo(1);
        assertThat(first.get("skipped").asLong()).isZero();
        JsonNode after = api.get("/recipients/" + existing).json();
        assertThat(after.get("name").asString()).isEqualTo("After");
        assertThat(strings(after.get("tags"))).containsExactly("before-" + unique, "row", unique);
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(350);

        // The same file again: every batch meets existing recipients only.
        JsonNode again = api.upload("/recipients/import", "batches.csv", bytes, Map.of("tags", unique)).json();
        assertThat(again.get("imported").asLong()).isZero();
        assertThat(again.get("updated").asLong()).isEqualTo(350);

        // Existing recipients in the first batch only, new ones after: back to inserts alone, nothing lost.
        StringBuilder mixed = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < 300; i++) {
            mixed.append("N").append(i).append(",m").append(i + 250).append('.').append(unique).append("@example.com,mixed\n");
        }
        JsonNode third = api.upload("/recipients/import", "mixed.csv", mixed.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("tags", unique)).json();
        assertThat(third.get("imported").asLong()).isEqualTo(200);
        assertThat(third.get("updated").asLong()).isEqualTo(100);
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(550);
        assertThat(api.get("/recipients/count?tag=mixed").json().get("count").asLong()).isEqualTo(300);
        assertThat(api.get("/recipients?q=m300." + unique).json().get("items")).hasSize(1);
    }

    /**
     * Two batches meeting the same existing recipient (one by email, one by phone) after an earlier batch switched
     * the import to lookups: they must apply in file order, the later row's name winning and both rows' tags kept,
     * never both at once from the same stale read.
     */
    @Test
    void batchesMeetingTheSameRecipientApplyInFileOrder() {
        createRecipient("Other", "other." + unique + "@example.com", "o-" + unique);
        Response created = api.post("/recipients", Map.of("name", "Before", "email", "both." + unique + "@example.com",
                "phone", "0912 777 " + phoneSuffix(5), "tags", List.of("b-" + unique)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long both = created.json().get("id").asLong();
        StringBuilder csv = new StringBuilder("name,email,phone,tags\n");
        for (int i = 0; i < 400; i++) {
            switch (i) {
                case 150 -> csv.append("Second,other.").append(unique).append("@example.com,,second\n");
                case 250 -> csv.append("Third,both.").append(unique).append("@example.com,,third\n");
                case 350 -> csv.append("Fourth,,+886912777").append(phoneSuffix(5)).append(",fourth\n");
                default -> csv.append("O").append(i).append(",o").append(i).append('.').append(unique).append("@example.com,,\n");
            }
        }
        JsonNode result = api.upload("/recipients/import", "order.csv", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("tags", unique)).json();
        assertThat(result.get("imported").asLong()).isEqualTo(397);
        assertThat(result.get("updated").asLong()).isEqualTo(3);
        JsonNode after = api.get("/recipients/" + both).json();
        assertThat(after.get("name").asString()).isEqualTo("Fourth");
        assertThat(strings(after.get("tags"))).containsExactly("b-" + unique, "third", unique, "fourth");
    }

    @Test
    void filesThatAreNotCsvOrTooLargeAreProblems() {
        Response tooLarge = api.upload("/recipients/import", "big.csv", csvOfSize(MAX_BYTES + 10_000), Map.of());
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");

        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, (byte) 0xff, (byte) 0xfe, 0, 1};
        Response binary = api.upload("/recipients/import", "photo.csv", png, Map.of());
        assertThat(binary.status()).isEqualTo(400);
        assertThat(binary.contentType()).startsWith("application/problem+json");
        assertThat(binary.json().get("detail").asString()).contains("not a CSV");

        Response noHeader = api.upload("/recipients/import", "data.csv",
                "Ann,ann@example.com\nBob,bob@example.com\n".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.json().get("detail").asString()).contains("header");

        Response empty = api.upload("/recipients/import", "empty.csv", new byte[0], Map.of());
        assertThat(empty.status()).isEqualTo(400);

        Response badTag = api.upload("/recipients/import", "ok.csv", "email\na@b.co\n".getBytes(StandardCharsets.UTF_8),
                Map.of("tags", "no spaces allowed"));
        assertThat(badTag.status()).isEqualTo(400);
        assertThat(fields(badTag.json())).containsExactly("tags");
    }

    @Test
    void asyncImportReportsProgressUntilCompleted() {
        int rows = 4000;
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < rows; i++) {
            csv.append("P").append(i).append(",p").append(i).append('.').append(unique).append("@ex.io,a\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        Response accepted = api.upload("/recipients/import", "many.csv", bytes, Map.of("async", "true", "tags", unique));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(accepted.json().get("bytes_total").asLong()).isEqualTo(bytes.length);
        String location = accepted.location();
        assertThat(location).isEqualTo("/imports/" + accepted.json().get("id").asLong());
        JsonNode done = await(() -> api.get(location).json(), s -> !s.get("status").asString().equals("RUNNING"),
                Duration.ofSeconds(60));
        assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.get("imported").asLong()).isEqualTo(rows);
        assertThat(done.get("bytes_read").asLong()).isEqualTo(bytes.length);
        assertThat(api.get("/recipients/count?tag=" + unique).json().get("count").asLong()).isEqualTo(rows);
        assertThat(api.get("/imports/987654321").status()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- seed 004

    @Test
    void seed004CreateImportsTheCsvAndSendsToExactlyItsRecipients() throws IOException {
        long outsider = createRecipient("Not In File", "outsider." + unique + "@example.com", "vip");
        Files.writeString(IMPORT_DIR.resolve(unique + ".csv"), "phone,name\n+886 912 111 " + phoneSuffix(1) + ",Mia\n"
                + "0912111" + phoneSuffix(2) + ",Noa\nnot a phone,Bad\n");
        long campaignId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
        Map<String, Object> body = Map.of("campaign_name", "game0", "campaign_id", campaignId,
                "message_template", "hi {{name}}, this is a test message.", "scheduled_time", 0,
                "csv_file_path", unique + ".csv");
        Response response = api.post("/v1/camp/create", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.get("code").asInt()).isZero();
        assertThat(json.get("msg").asString()).isEqualTo("success");
        long id = json.get("data").get("id").asLong();
        assertThat(json.get("data").get("skipped").asLong()).isEqualTo(1);

        JsonNode campaign = awaitCompleted(id);
        assertThat(campaign.get("segment_rule").asString()).isEqualTo("camp-" + campaignId);
        assertThat(campaign.get("sent").asLong()).isEqualTo(2);
        JsonNode messages = api.get("/campaigns/" + id + "/messages?limit=100").json().get("items");
        List<String> who = new ArrayList<>();
        messages.forEach(m -> {
            assertThat(m.get("status").asString()).isEqualTo("SENT");
            who.add(m.get("recipient").get("name").asString());
        });
        assertThat(who).containsExactlyInAnyOrder("Mia", "Noa");
        assertThat(messageRecipients(id)).doesNotContain(outsider);
        JsonNode preview = api.get("/campaigns/" + id + "/preview").json();
        List<String> rendered = new ArrayList<>();
        preview.get("items").forEach(i -> rendered.add(i.get("rendered").asString()));
        assertThat(rendered).contains("hi Mia, this is a test message.");

        // the same campaign_id again creates nothing new
        Response repeat = api.post("/v1/camp/create", body);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("code").asInt()).isZero();
        assertThat(repeat.json().get("data").get("id").asLong()).isEqualTo(id);
        assertThat(repeat.json().get("data").get("created").asBoolean()).isFalse();
        JsonNode all = api.get("/campaigns?limit=100").json().get("items");
        long sameName = 0;
        for (JsonNode c : all) {
            if (c.get("segment_rule").asString().equals("camp-" + campaignId)) {
                sameName++;
            }
        }
        assertThat(sameName).isEqualTo(1);
    }

    @Test
    void seed004ScheduledTimeInTheFutureSchedulesTheCampaign() throws IOException {
        Files.writeString(IMPORT_DIR.resolve(unique + ".csv"), "phone,name,city\n+886912222" + phoneSuffix(3) + ",Ivy,Tainan\n");
        long campaignId = Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L) + 1;
        long due = Instant.now().plusSeconds(3).getEpochSecond();
        JsonNode json = api.post("/v1/camp/create", Map.of("campaign_name", "later", "campaign_id", String.valueOf(campaignId),
                "message_template", "{{name}} from {{city}}", "scheduled_time", due, "csv_file_path", unique + ".csv")).json();
        assertThat(json.get("code").asInt()).as(json.toString()).isZero();
        long id = json.get("data").get("id").asLong();
        assertThat(api.get("/campaigns/" + id).json().get("status").asString()).isEqualTo("SCHEDULED");
        JsonNode done = awaitCompleted(id);
        assertThat(Instant.parse(done.get("started_at").asString())).isBetween(Instant.ofEpochSecond(due).minusMillis(1),
                Instant.ofEpochSecond(due).plusSeconds(3));
        assertThat(done.get("sent").asLong()).isEqualTo(1);
    }

    @Test
    void seed004RefusesPathsOutsideTheImportFolderAndBadInput() throws IOException {
        Path secret = OUTSIDE_DIR.resolve("secret-" + unique + ".csv");
        Files.writeString(secret, "phone,name\n+886912333" + phoneSuffix(4) + ",Eve\n");
        Path link = IMPORT_DIR.resolve("link-" + unique + ".csv");
        Files.createSymbolicLink(link, secret);
        Path dirLink = IMPORT_DIR.resolve("dir-" + unique);
        Files.createSymbolicLink(dirLink, OUTSIDE_DIR);
        for (String path : List.of("../" + OUTSIDE_DIR.getFileName() + "/" + secret.getFileName(), secret.toString(),
                "link-" + unique + ".csv", "dir-" + unique + "/" + secret.getFileName(), "a/../../x.csv", "/etc/passwd")) {
            Response r = seed004(path, 1);
            assertThat(r.status()).as(path).isBetween(400, 499);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.json().get("code").asInt()).as(path).isNotZero();
        }
        assertThat(api.get("/recipients?q=eve").json().get("items")).isEmpty();

        Response missing = seed004("nope-" + unique + ".csv", 1);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asInt()).isNotZero();

        Response badJson = api.post("/v1/camp/create", "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("code").asInt()).isNotZero();

        Files.writeString(IMPORT_DIR.resolve(unique + ".csv"), "phone,name\n+886912444" + phoneSuffix(5) + ",Zed\n");
        Response badTemplate = api.post("/v1/camp/create", Map.of("campaign_name", "x", "campaign_id", 5,
                "message_template", "Hi {{name", "scheduled_time", 0, "csv_file_path", unique + ".csv"));
        assertThat(badTemplate.status()).isEqualTo(400);
        assertThat(badTemplate.json().get("msg").asString()).contains("message_template");
        Response noId = api.post("/v1/camp/create", Map.of("campaign_name", "x", "message_template", "hi",
                "csv_file_path", unique + ".csv"));
        assertThat(noId.status()).isEqualTo(400);
        assertThat(noId.json().get("msg").asString()).contains("campaign_id");
    }

    private Response seed004(String path, long campaignId) {
        return api.post("/v1/camp/create", Map.of("campaign_name", "evil", "campaign_id",
                Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + campaignId,
                "message_template", "hi", "scheduled_time", 0, "csv_file_path", path));
    }

    // ---------------------------------------------------------------- scheduling and edits

    @Test
    void scheduledCampaignSendsItselfOnTimeAndEditsFollowTheRules() {
        createRecipient("Sam", "sam." + unique + "@example.com", unique);
        createRecipient("Sue", "sue." + unique + "@example.com", unique);
        OffsetDateTime due = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusSeconds(2);
        Response created = api.post("/campaigns", Map.of("name", "Soon", "template", "Hi {{name}}", "segment_rule", unique,
                "scheduled_at", due.toString()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("status").asString()).isEqualTo("SCHEDULED");

        // a SCHEDULED campaign can still be edited
        Response patched = api.patch("/campaigns/" + id, Map.of("template", "Hello {{name}}"));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("status").asString()).isEqualTo("SCHEDULED");

        JsonNode done = awaitCompleted(id);
        Instant started = Instant.parse(done.get("started_at").asString());
        assertThat(started).isBetween(due.toInstant().minusMillis(1), due.toInstant().plusSeconds(2));
        assertThat(done.get("sent").asLong()).isEqualTo(2);

        Response readOnly = api.patch("/campaigns/" + id, Map.of("name", "Too late"));
        assertThat(readOnly.status()).isEqualTo(409);
        assertThat(readOnly.contentType()).startsWith("application/problem+json");

        // a draft sent by hand is read-only as well
        long draft = api.post("/campaigns", Map.of("name", "Draft", "template", "x", "segment_rule", unique)).json().get("id").asLong();
        assertThat(api.post("/campaigns/" + draft + "/send", Map.of()).status()).isEqualTo(202);
        assertThat(api.patch("/campaigns/" + draft, Map.of("name", "Too late")).status()).isEqualTo(409);

        // cancelling a scheduled campaign means it never sends
        long cancelled = api.post("/campaigns", Map.of("name", "Never", "template", "x", "segment_rule", unique,
                "scheduled_at", OffsetDateTime.now().plusSeconds(1).toString())).json().get("id").asLong();
        assertThat(api.post("/campaigns/" + cancelled + "/cancel", Map.of()).json().get("status").asString()).isEqualTo("CANCELLED");
        sleep(2000);
        JsonNode never = api.get("/campaigns/" + cancelled).json();
        assertThat(never.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(never.get("total").asLong()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** Three digits unique to this test (numbers of different tests must not collide in the shared database). */
    String phoneSuffix(int n) {
        return String.format("%03d", Math.floorMod(phoneBase + n, 1000));
    }

    long createRecipient(String name, String email, String tag) {
        Response r = api.post("/recipients", Map.of("name", name, "email", email, "tags", List.of(tag)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    long sendNow(String name, String template, String rule) {
        Response created = api.post("/campaigns", Map.of("name", name, "template", template, "segment_rule", rule));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send", Map.of()).status()).isEqualTo(202);
        return id;
    }

    JsonNode awaitCompleted(long campaignId) {
        JsonNode c = await(() -> api.get("/campaigns/" + campaignId).json(),
                j -> j.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(30));
        assertThat(c.get("status").asString()).as(c.toString()).isEqualTo("COMPLETED");
        return c;
    }

    List<Long> messageRecipients(long campaignId) {
        List<Long> ids = new ArrayList<>();
        api.get("/campaigns/" + campaignId + "/messages?limit=1000").json().get("items")
                .forEach(m -> ids.add(m.get("recipient").get("id").asLong()));
        Set<Long> distinct = new HashSet<>(ids);
        assertThat(distinct).as("one message per recipient").hasSize(ids.size());
        return ids;
    }

    static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            sleep(100);
            value = probe.get();
        }
        return value;
    }

    private long tagCount(String tag) {
        Map<String, Long> counts = new LinkedHashMap<>();
        api.get("/tags").json().get("items").forEach(t -> counts.put(t.get("tag").asString(), t.get("count").asLong()));
        return counts.getOrDefault(tag, 0L);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    static List<String> names(JsonNode page) {
        List<String> values = new ArrayList<>();
        page.get("items").forEach(v -> values.add(v.get("name").asString()));
        return values;
    }

    static List<String> fields(JsonNode problem) {
        List<String> values = new ArrayList<>();
        problem.get("errors").forEach(v -> values.add(v.get("field").asString()));
        return values;
    }

    static JsonNode find(JsonNode page, String name) {
        for (JsonNode item : page.get("items")) {
            if (item.get("name").asString().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no recipient named " + name + " in " + page);
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    static byte[] csvOfSize(int bytes) {
        StringBuilder csv = new StringBuilder("name,email\n");
        int i = 0;
        while (csv.length() < bytes) {
            csv.append("Person ").append(i).append(",person").append(i++).append("@example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
