package dev.tandem.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"ana@example.com", "a.b+tag@sub.example.co.uk", "x_y@ex-ample.org"})
    void acceptsEmailAddresses(String email) {
        assertEquals(email, Checks.email("email", email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana", "ana@", "@example.com", "ana@example", "a b@example.com", "ana@@example.com",
            "ana..b@example.com", "<ana@example.com>"})
    void refusesMalformedEmailNamingTheField(String email) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checks.email("email", email));
        assertEquals("email", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+14155550101", "+442071838750", "+33612345678"})
    void acceptsE164Numbers(String phone) {
        assertEquals(phone, Checks.phone("phone", phone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4155550101", "+0155550101", "+1 415 555 0101", "+1-415-555-0101", "+1234567890123456", "+12"})
    void refusesNumbersThatAreNotE164(String phone) {
        assertEquals("phone", assertThrows(InvalidInputException.class, () -> Checks.phone("phone", phone)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "UTC"})
    void acceptsIanaZones(String zone) {
        assertEquals(zone, Checks.zone("timezone", zone).getId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "+02:00", "GMT+2", "PST", "europe/paris"})
    void refusesWhatIsNotAnIanaZone(String zone) {
        assertEquals("timezone", assertThrows(InvalidInputException.class, () -> Checks.zone("timezone", zone)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c1", "contact-42", "a.b_c@d"})
    void acceptsIds(String id) {
        assertEquals(id, Checks.id("id", id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a#b", "-lead", "a b", "a/b"})
    void refusesIdsThatCannotBeKeysOrTags(String id) {
        assertEquals("id", assertThrows(InvalidInputException.class, () -> Checks.id("id", id)).field());
    }

    @org.junit.jupiter.api.Test
    void readsDurationsInIsoFormIncludingDays() {
        assertEquals(Duration.ofHours(24), Checks.duration("after", "P1D"));
        assertEquals(Duration.ofMinutes(15), Checks.duration("tick", "PT15M"));
        assertEquals("tick", assertThrows(InvalidInputException.class, () -> Checks.duration("tick", "15m")).field());
    }
}
