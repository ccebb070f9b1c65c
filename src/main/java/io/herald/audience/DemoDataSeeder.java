package io.herald.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Seeds 20 demo recipients into an empty database (seed 000 had ~20 users, ~40 % vip), so a fresh
 * install can run the whole flow at once. 8 are vip, 3 of those also tw, so "vip,tw" is a proper subset.
 */
@Component
@Order(0)
@ConditionalOnProperty(name = "herald.demo-data", havingValue = "true", matchIfMissing = true)
class DemoDataSeeder implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoDataSeeder.class);
    private static final String[][] PEOPLE = {
            {"Alice Chen", "vip,tw", "Taipei"}, {"Bob Martin", "vip", "Lyon"}, {"Chloé Dubois", "vip,tw", "Taichung"},
            {"David Kim", "vip", "Seoul"}, {"Emma Wilson", "vip,tw", "Kaohsiung"}, {"Farid Haddad", "vip,uk", "London"},
            {"Grace Lin", "vip,jp", "Osaka"}, {"Hiro Tanaka", "vip,jp", "Tokyo"}, {"Ivy Wang", "tw", "Tainan"},
            {"Jack Brown", "uk", "Leeds"}, {"Kate Novak", "", "Prague"}, {"Liam O'Brien", "uk", "Dublin"},
            {"Mei Huang", "tw", "Hsinchu"}, {"Noah Garcia", "", "Madrid"}, {"Olivia Rossi", "", "Milan"},
            {"Pedro Alves", "", "Lisbon"}, {"Quinn Taylor", "uk", "Bristol"}, {"Rin Sato", "jp", "Kyoto"},
            {"Sara Nilsson", "", "Malmö"}, {"Tom Becker", "", "Berlin"},
    };

    private final AudienceService audience;

    DemoDataSeeder(AudienceService audience) {
        this.audience = audience;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (audience.countAll() > 0) {
            return;
        }
        List<NewRecipient> demo = new ArrayList<>();
        for (int i = 0; i < PEOPLE.length; i++) {
            String[] p = PEOPLE[i];
            String first = p[0].split(" ")[0].toLowerCase().replace("é", "e");
            List<String> tags = p[1].isEmpty() ? List.of() : List.of(p[1].split(","));
            demo.add(new NewRecipient(p[0], first + "@example.com", String.format("+8869120000%02d", i), tags,
                    Map.of("city", p[2])));
        }
        try {
            audience.insertAll(demo, System.currentTimeMillis());
            log.info("Seeded {} demo recipients (8 tagged vip); set herald.demo-data=false to start empty", demo.size());
        } catch (DataIntegrityViolationException e) {
            log.info("Demo recipients were seeded by another process");
        }
    }
}
