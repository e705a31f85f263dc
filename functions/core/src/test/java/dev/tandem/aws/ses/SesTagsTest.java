package dev.tandem.aws.ses;

import dev.tandem.validation.Checks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SesTagsTest {

    @Test
    void anIdSesAcceptsGoesAsItIs() {
        assertEquals("c-1_a", SesTags.encode("c-1_a"));
        assertEquals("c-1_a", SesTags.decode("c-1_a"));
    }

    @Test
    void everyValidIdIsEncodedIntoWhatSesAcceptsAndComesBackTheSame() {
        for (String id : new String[]{"ana.b@example.com", "a_b.c", "x@y", "a__.@_", "a" + "._@".repeat(42) + "z"}) {
            Checks.id("id", id);
            String tag = SesTags.encode(id);
            assertTrue(SesTags.fits(tag), tag);
            assertEquals(id, SesTags.decode(tag));
        }
    }

    @Test
    void theLongestIdOfTheWorstCharactersStaysWithinSesLimit() {
        String id = "a" + ".".repeat(Checks.MAX_ID_LENGTH - 1);
        Checks.id("id", id);
        String tag = SesTags.encode(id);
        assertEquals(256, tag.length());
        assertTrue(SesTags.fits(tag));
        assertEquals(id, SesTags.decode(tag));
    }
}
