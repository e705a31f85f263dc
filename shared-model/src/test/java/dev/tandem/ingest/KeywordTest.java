package dev.tandem.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeywordTest {

    @ParameterizedTest(name = "[{0}] is {1}")
    @CsvSource(delimiter = '|', value = {
            "STOP|STOP", "stop|STOP", "'  Stop  '|STOP", "StopAll|STOP", "unsubscribe|STOP", "cancel|STOP",
            "END|STOP", "quit|STOP", "OptOut|STOP", "opt out|STOP", "'OPT   OUT'|STOP", "revoke|STOP",
            "START|START", "unstop|START", "' yes'|START",
            "HELP|HELP", "info|HELP", "'\tHelp\n'|HELP",
            "stop please|NONE", "Do you have size 42?|NONE", "STOP!|NONE", "no|NONE", "''|NONE",
    })
    void matchesTheWholeTrimmedMessageWhateverItsCase(String body, Keyword expected) {
        assertEquals(expected, Keyword.of(body.replace("\\t", "\t").replace("\\n", "\n")));
    }
}
