package io.herald.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PromQL of a Grafana dashboard export: every {@code expr} of its panels (rows included) and the metric names
 * those expressions select.
 */
public final class DashboardQueries {
    /** PromQL words that look like names: aggregation modifiers, set operators, offset. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private DashboardQueries() {
    }

    /** Every {@code expr} in the dashboard file (panels, nested panels of rows, and query variables are not PromQL metrics). */
    public static List<String> expressions(Path dashboard) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(dashboard));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> exprs = new ArrayList<>();
        collect(root.path("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                if (!expr.isBlank()) {
                    exprs.add(expr);
                }
            }
            collect(panel.path("panels"), exprs);
        }
    }

    /**
     * The metric names one PromQL expression selects: identifiers that are not functions (followed by "("), not
     * label names (inside {...} or a by/without/on/ignoring list), not keywords, durations or strings.
     */
    public static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")   // string literals
                .replaceAll("\\{[^}]*}", " ")                             // label matchers
                .replaceAll("\\[[^]]*]", " ")                             // range and subquery durations
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*}?", " ");      // dashboard variables
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /**
     * The names of {@code needed} that the scrape lacks. A name is there when a sample has it, or, for
     * {@code x_bucket}/{@code x_count}/{@code x_sum}, when {@code x} is a histogram (or, for _count and _sum, a
     * summary) that has that sample, so that e.g. {@code x_count} does not pass on the strength of a counter
     * named {@code x}.
     */
    public static Set<String> missing(Set<String> needed, PrometheusText scrape) {
        Set<String> present = scrape.sampleNames();
        Set<String> missing = new TreeSet<>();
        for (String name : needed) {
            if (present.contains(name) && histogramPartOk(name, scrape)) {
                continue;
            }
            missing.add(name);
        }
        return missing;
    }

    private static boolean histogramPartOk(String name, PrometheusText scrape) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                String type = scrape.type(family);
                if (type == null) {
                    // not a part of a family: a metric that just ends in these letters, declared under its own name
                    return scrape.type(name) != null;
                }
                return "histogram".equals(type) || (!suffix.equals("_bucket") && "summary".equals(type));
            }
        }
        return true;
    }
}
