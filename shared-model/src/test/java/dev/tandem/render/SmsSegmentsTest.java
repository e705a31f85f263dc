package dev.tandem.render;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsSegmentsTest {

    @Test
    void gsmTextTakes160InOneSegmentAnd153EachBeyond() {
        assertEquals(1, SmsSegments.count("a".repeat(160)));
        assertEquals(2, SmsSegments.count("a".repeat(161)));
        assertEquals(2, SmsSegments.count("a".repeat(306)));
        assertEquals(3, SmsSegments.count("a".repeat(307)));
    }

    @Test
    void extensionCharactersTakeTwoSeptets() {
        assertEquals(160, SmsSegments.units("€".repeat(80)));
        assertEquals(1, SmsSegments.count("€".repeat(80)));
        assertEquals(2, SmsSegments.count("€".repeat(81)));
    }

    @Test
    void oneCharacterOutsideGsmMakesTheWholeTextUcs2() {
        assertTrue(SmsSegments.isGsm("Café Müller à Åre, ¿Ñ? 50€ {ok}"));
        assertFalse(SmsSegments.isGsm("Zoë"));
        assertFalse(SmsSegments.isGsm("Snow ❄"));
        assertEquals(1, SmsSegments.count("❄".repeat(70)));
        assertEquals(2, SmsSegments.count("❄".repeat(71)));
        assertEquals(2, SmsSegments.count("❄".repeat(134)));
        assertEquals(3, SmsSegments.count("❄".repeat(135)));
    }
}
