package io.herald.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneNumberDesc;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libphonenumber's {@code isValidNumber} for a calling code and a national significant number, answered by DFAs
 * compiled from libphonenumber's own metadata. The library tries a dozen backtracking regular expressions per number,
 * twice (once to find the region, once to validate for it): about 2.5 µs, the largest single cost of a CSV import.
 * A DFA answers in well under 0.1 µs.
 * <p>
 * The decision is the library's, step for step: per region, a number is valid when its length is one the general
 * description allows and its pattern matches, and some type (fixed line, mobile, toll free, ...) also matches with a
 * length that type allows. Of the regions sharing a calling code, the first whose leading digits match the number
 * decides alone; one without leading digits is chosen when the number is valid for it. The automata for a calling
 * code are built once, on a background thread, when it is first asked for; until they are ready (under a second) the
 * answer is null and the caller asks libphonenumber. {@code PhoneValidityTest} checks both agree.
 */
final class PhoneValidity {
    private static final Logger log = LoggerFactory.getLogger(PhoneValidity.class);
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final MetadataSource METADATA =
            DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    private static final String NON_GEOGRAPHICAL = "001";
    private static final ConcurrentMap<Integer, CompletableFuture<CallingCode>> BUILT = new ConcurrentHashMap<>();
    private static final ExecutorService BUILDER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-phone-automata");
        t.setDaemon(true);
        return t;
    });

    private PhoneValidity() {
    }

    /** What {@code isValidNumber} answers for the number; null while the calling code's automata are being built. */
    static Boolean isValid(int callingCode, String nationalSignificantNumber) {
        return answer(automata(callingCode).getNow(null), nationalSignificantNumber);
    }

    /** The same, waiting for the automata (tests); null only when they could not be built. */
    static Boolean isValidWhenBuilt(int callingCode, String nationalSignificantNumber) {
        return answer(automata(callingCode).join(), nationalSignificantNumber);
    }

    /** The calling code's automata, built on the background thread the first time they are asked for. */
    private static CompletableFuture<CallingCode> automata(int callingCode) {
        return BUILT.computeIfAbsent(callingCode, cc -> CompletableFuture.supplyAsync(() -> build(cc), BUILDER));
    }

    private static Boolean answer(CallingCode code, String nationalSignificantNumber) {
        return code == null || code.regions == null ? null : code.isValid(nationalSignificantNumber);
    }

    /** One region of a calling code: its leading digits (null when it has none) and its valid numbers. */
    private record Region(RunAutomaton leadingDigits, RunAutomaton valid) {
    }

    /** The regions of a calling code in libphonenumber's order; null regions when the metadata could not be compiled. */
    private record CallingCode(List<Region> regions) {
        boolean isValid(String number) {
            if (regions.size() == 1) {
                return regions.get(0).valid().run(number);
            }
            for (Region region : regions) {
                if (region.leadingDigits() != null) {
                    if (region.leadingDigits().run(number)) {
                        return region.valid().run(number);
                    }
                } else if (region.valid().run(number)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static CallingCode build(int callingCode) {
        try {
            List<Region> regions = new ArrayList<>();
            for (String regionCode : PHONES.getRegionCodesForCountryCode(callingCode)) {
                PhoneMetadata metadata = NON_GEOGRAPHICAL.equals(regionCode)
                        ? METADATA.getMetadataForNonGeographicalRegion(callingCode)
                        : METADATA.getMetadataForRegion(regionCode);
                if (metadata == null) {
                    return new CallingCode(null);
                }
                Automaton anyType = Automaton.makeEmpty();
                for (PhoneNumberDesc type : List.of(metadata.getPremiumRate(), metadata.getTollFree(),
                        metadata.getSharedCost(), metadata.getVoip(), metadata.getPersonalNumber(), metadata.getPager(),
                        metadata.getUan(), metadata.getVoicemail(), metadata.getFixedLine(), metadata.getMobile())) {
                    anyType = anyType.union(matching(type));
                }
                Automaton valid = matching(metadata.getGeneralDesc()).intersection(anyType);
                valid.minimize();
                RunAutomaton leading = metadata.hasLeadingDigits()
                        ? new RunAutomaton(regex(metadata.getLeadingDigits()).concatenate(Automaton.makeAnyString()))
                        : null;
                regions.add(new Region(leading, new RunAutomaton(valid)));
            }
            return new CallingCode(regions.isEmpty() ? null : regions);
        } catch (RuntimeException e) {
            log.warn("Phone numbers of +{} are validated by libphonenumber alone: {}", callingCode, e.toString());
            return new CallingCode(null);
        }
    }

    /** The numbers a description accepts: its pattern, at one of its possible lengths (any length when none are listed). */
    private static Automaton matching(PhoneNumberDesc description) {
        if (description.getNationalNumberPattern().isEmpty()) {
            return Automaton.makeEmpty();
        }
        Automaton pattern = regex(description.getNationalNumberPattern());
        List<Integer> lengths = description.getPossibleLengthList();
        if (lengths.isEmpty()) {
            return pattern;
        }
        Automaton ofLength = Automaton.makeEmpty();
        for (int length : lengths) {
            ofLength = ofLength.union(Automaton.makeCharRange('0', '9').repeat(length, length));
        }
        return pattern.intersection(ofLength);
    }

    /**
     * libphonenumber's patterns use digits, classes, groups, alternation and counted repetition only; in the automaton
     * library's syntax a non-capturing group is a plain one and {@code \d} a class.
     */
    private static Automaton regex(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if ("0123456789[]-|(){},?*+:\\d".indexOf(pattern.charAt(i)) < 0) {
                throw new IllegalArgumentException("unexpected character in a metadata pattern: " + pattern);
            }
        }
        return new RegExp(pattern.replace("(?:", "(").replace("\\d", "[0-9]"), RegExp.NONE).toAutomaton();
    }
}
