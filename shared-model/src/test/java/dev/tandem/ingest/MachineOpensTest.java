package dev.tandem.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineOpensTest {

    @Test
    void anOpenByExactlyMozilla5IsApplesProxy() {
        assertTrue(MachineOpens.isMachine("Mozilla/5.0", "203.0.113.7"));
        assertFalse(MachineOpens.isMachine("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)", "203.0.113.7"));
    }

    @Test
    void anOpenFromApplesSeventeenSlashEightIsAMachine() {
        assertTrue(MachineOpens.isMachine("Mozilla/5.0 (Macintosh)", "17.58.101.20"));
        assertTrue(MachineOpens.isMachine(null, "::ffff:17.1.2.3"));
        assertFalse(MachineOpens.isMachine(null, "170.1.2.3"));
        assertFalse(MachineOpens.isMachine(null, "117.1.2.3"));
        assertFalse(MachineOpens.isMachine(null, null));
    }
}
