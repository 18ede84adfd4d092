package dev.sandboxed.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelsAndUnitsTest {
    @Test
    void physionetSpellingsBecomeTenTwentyNames() {
        assertEquals("EEG FC5", Labels.harmonise("Fc5."));
        assertEquals("EEG C3", Labels.harmonise("C3.."));
        assertEquals("EEG FPZ", Labels.harmonise("Fpz."));
        assertEquals("EEG IZ", Labels.harmonise("Iz.."));
        assertEquals("EEG T10", Labels.harmonise("T10."));
        assertEquals("EEG FP1", Labels.harmonise("EEG Fp1"));
        assertEquals("EEG CZ", Labels.harmonise(" cz "));
        assertEquals("EEG T3", Labels.harmonise("T3"));
    }

    @Test
    void unknownLabelsStayAsTheyAre() {
        assertEquals("ECG", Labels.harmonise("ECG"));
        assertEquals("Resp.Chest", Labels.harmonise("Resp.Chest"));
        assertEquals("EDF Annotations", Labels.harmonise("EDF Annotations"));
        assertEquals("C3-A2", Labels.harmonise("C3-A2"));
    }

    @Test
    void voltagePrefixesConvertToMicrovolts() {
        assertEquals(1.0, Units.toMicrovolts("uV").getAsDouble());
        assertEquals(1.0, Units.toMicrovolts("\u00b5V").getAsDouble());
        assertEquals(1.0, Units.toMicrovolts("\u03bcV").getAsDouble());
        assertEquals(1.0, Units.toMicrovolts("UV").getAsDouble());
        assertEquals(1000.0, Units.toMicrovolts("mV").getAsDouble());
        assertEquals(1e6, Units.toMicrovolts("V").getAsDouble());
        assertEquals(1e-3, Units.toMicrovolts("nV").getAsDouble());
    }

    @Test
    void unknownUnitsAreNotConverted() {
        assertTrue(Units.toMicrovolts("degC").isEmpty());
        assertTrue(Units.toMicrovolts("MV").isEmpty(), "megavolt is not a plausible EEG unit");
        assertTrue(Units.toMicrovolts("").isEmpty());
        assertTrue(Units.toMicrovolts("-").isEmpty());
    }
}
