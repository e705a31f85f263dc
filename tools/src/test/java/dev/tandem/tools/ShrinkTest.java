package dev.tandem.tools;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shrinker on the real SES v2 jar of the SDK, keeping what the sender calls. */
class ShrinkTest {
    private static final String SES = "software.amazon.awssdk.services.sesv2.";
    private static final String MODEL = "software/amazon/awssdk/services/sesv2/model/";
    private static final String TRANSFORM = "software/amazon/awssdk/services/sesv2/transform/";
    private static final KeepRules SENDER = KeepRules.parse(List.of("sesv2=SendEmail, GetAccount"));

    @TempDir
    static Path dir;
    static Shrink.Result result;
    static Set<String> before;
    static Map<String, byte[]> after;

    @BeforeAll
    static void shrinkTheSesJar() throws Exception {
        Path sesJar = Path.of(SendEmailRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = dir.resolve("sesv2-shrunk.jar");
        before = Jar.read(sesJar).classes().keySet();
        result = Shrink.run(sesJar, out, SENDER, ShrinkTest.class.getClassLoader());
        after = Jar.read(out).classes();
    }

    @Test
    void keepsTheCalledOperationsWithWhatTheyName() {
        for (String kept : List.of(MODEL + "SendEmailRequest", MODEL + "SendEmailRequest$BuilderImpl",
                MODEL + "SendEmailResponse", TRANSFORM + "SendEmailRequestMarshaller", MODEL + "GetAccountResponse",
                // named by SendEmailRequest: its parts
                MODEL + "Destination", MODEL + "EmailContent", MODEL + "Template")) {
            assertTrue(after.containsKey(kept), kept);
        }
    }

    @Test
    void keepsEveryModeledExceptionSinceTheClientRegistersThemAll() {
        assertTrue(before.contains(MODEL + "AlreadyExistsException"));
        assertTrue(after.containsKey(MODEL + "AlreadyExistsException"));
        assertTrue(after.containsKey(MODEL + "MessageRejectedException"));
    }

    @Test
    void removesWhatOnlyOperationsNeverCalledNeed() {
        for (String gone : List.of(TRANSFORM + "CreateContactRequestMarshaller", MODEL + "CreateContactRequest$BuilderImpl",
                MODEL + "CreateContactResponse$BuilderImpl", MODEL + "ImportJobSummary")) {
            assertTrue(before.contains(gone), "the SDK still has " + gone);
            assertFalse(after.containsKey(gone), gone);
        }
        assertTrue(result.removedByService().get("sesv2") > 1000, result.toString());
        assertEquals(before.size() - after.size(), result.removedByService().get("sesv2"));
    }

    @Test
    void keepsWhatTheJvmLoadsForTheClientsOfOperationsNeverCalled() {
        // Linking DefaultSesV2Client loads CreateContactRequest (createContact passes it where an SdkRequest is
        // expected); listing SesV2Client's methods loads CreateContactResponse; a Proxy of SesV2Client initialises
        // CreateContactRequest, whose static fields name its Builder. Not what those name in turn.
        for (String loaded : List.of("CreateContactRequest", "CreateContactResponse", "CreateContactRequest$Builder")) {
            assertTrue(after.containsKey(MODEL + loaded), loaded);
        }
        assertTrue(result.keptLoadedOnly() > 100, result.toString());
    }

    @Test
    void theShrunkClientLinksListsItsMethodsAndCanBeProxied() throws Exception {
        Class.forName(SES + "DefaultSesV2Client", true, sesFrom(after));
        proxy(Class.forName(SES + "SesV2Client", false, sesFrom(after)));

        ClassLoader noRequest = sesFrom(without(MODEL + "CreateContactRequest"));
        assertThrows(NoClassDefFoundError.class, () -> Class.forName(SES + "DefaultSesV2Client", true, noRequest),
                "initialising the client links it, and the verifier loads CreateContactRequest");
        ClassLoader noResponse = sesFrom(without(MODEL + "CreateContactResponse"));
        Class.forName(SES + "DefaultSesV2Client", true, noResponse);
        assertThrows(NoClassDefFoundError.class, () -> Class.forName(SES + "SesV2Client", false, noResponse).getMethods(),
                "listing the methods loads CreateContactResponse");
        ClassLoader noBuilder = sesFrom(without(MODEL + "CreateContactRequest$Builder"));
        Class<?> client = Class.forName(SES + "SesV2Client", false, noBuilder);
        client.getMethods();
        assertThrows(LinkageError.class, () -> proxy(client), "a proxy initialises CreateContactRequest");
    }

    private static void proxy(Class<?> type) {
        Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> null);
    }

    /** The given SES classes, and every other class from the test's class path. */
    private static ClassLoader sesFrom(Map<String, byte[]> classes) {
        ClassLoader noSes = new ClassLoader(ShrinkTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith(SES)) {
                    throw new ClassNotFoundException(name + " (only the shrunk jar's SES classes are visible)");
                }
                return super.loadClass(name, resolve);
            }
        };
        return new ClientLoads.Recording(classes, c -> false, noSes);
    }

    private static Map<String, byte[]> without(String className) {
        Map<String, byte[]> fewer = new HashMap<>(after);
        assertTrue(fewer.remove(className) != null, className);
        return fewer;
    }

    @Test
    void refusesAnOperationTheSdkDoesNotHave() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shrink.run(
                Path.of(SendEmailRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                dir.resolve("never.jar"), KeepRules.parse(List.of("sesv2=SendEMail")), ShrinkTest.class.getClassLoader()));
        assertTrue(e.getMessage().contains("sesv2/model/SendEMailRequest"), e.getMessage());
    }
}
