package org.egovpki.directory.embedded;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapErrors;
import org.egovpki.directory.LdapSubscriberStore;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access control for the embedded ApacheDS, as X.500 basic access control subentries under the
 * base entry (an access control specific area). With access control on, ApacheDS denies everything
 * no ACI grants, so this is the complete policy:
 * <ul>
 *   <li>anonymous: the base entry and the container names; everything under {@code ou=CAs}
 *       (CA certificates, CRLs); on subscriber entries (the direct children of
 *       {@code ou=subscribers}) only the published certificates and the naming attributes, and
 *       only on entries of class {@code egovPublishedSubscriber} (subscribers who did not opt out
 *       of publication; the others look absent), never their {@code cn=registration} children. ApacheDS evaluates filters on attributes it hides,
 *       which is why private data is kept on separate entries rather than hidden attributes;</li>
 *   <li>the CA service account: everything except {@code ou=km} (the KM's own subtree) and
 *       {@code ou=services} (other accounts' credentials);</li>
 *   <li>the KM service account: everything in {@code ou=km} (the entry and all below it: escrowed
 *       keys, key recovery requests), and elsewhere only what anonymous users see. Nobody else is
 *       granted anything below {@code ou=km}: the grant to all users reaches only the container
 *       entry itself, and the CA's grant chops {@code ou=km} off, so the CA server, operators and
 *       anonymous users can neither read nor write an escrowed key or a recovery request;</li>
 *   <li>operators (bound as an entry under {@code ou=operators}): read requests, and add — never
 *       modify, rename or delete — decision entries ({@code egovRequestDecision}) directly below a
 *       request, with only the decision's own attributes. That is how a reviewer decides in an LDAP
 *       browser: the directory records the author in the entry's {@code creatorsName} at add time,
 *       and the CA acts on the decision as that operator. Operators write nothing on the request
 *       entry itself, not its state;</li>
 *   <li>operators, likewise for sync targets: read the target entries (the direct children of
 *       {@code ou=sync} of class {@code egovSyncTarget}: settings, delivery state, the note on the
 *       last command; never their messages, which may carry ID numbers, nor the outbox), and add —
 *       never modify, rename or delete — command entries ({@code egovSyncTargetCommand}) directly
 *       below a target, with only the command's own attributes. The CA acts on a command as its
 *       author if that operator is a CA admin when it acts.</li>
 *   <li>the X.500-named mirror ({@code X500Mirror}, entries of class {@code egovX500Name}): all
 *       users, anonymous included, read the naming attributes and the certificates and CRLs, and
 *       nothing else (there is nothing else); only the CA service account writes. Under the base
 *       DN by a subentry there; in a naming context outside it, the context entry is an access
 *       control specific area of its own with the same grant and the CA's.</li>
 * </ul>
 * The subentries are rewritten on every start, and retired ones removed, so a changed policy
 * reaches existing directories.
 */
public final class ApacheDsAccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(ApacheDsAccessControl.class);

    private static final String AREA = "accessControlSpecificArea";
    private static final String READ = "grantRead, grantReturnDN, grantBrowse, grantCompare, grantFilterMatch";
    private static final String ALL = "grantAdd, grantDiscloseOnError, grantRead, grantRemove, grantBrowse, "
            + "grantExport, grantImport, grantModify, grantRename, grantReturnDN, grantCompare, grantFilterMatch, "
            + "grantInvoke";
    private static final String DENY_ALL = "denyAdd, denyDiscloseOnError, denyRead, denyRemove, denyBrowse, "
            + "denyExport, denyImport, denyModify, denyRename, denyReturnDN, denyCompare, denyFilterMatch, denyInvoke";
    /** What an anonymous reader may see on a subscriber entry: the published certificate and its name. */
    private static final String PUBLIC_SUBSCRIBER_ATTRIBUTES = "objectClass, cn, egovSubscriberId, userCertificate";

    /**
     * What an operator may put in a decision entry it adds below a request. Nothing the CA writes
     * (the outcome goes on the request's egovDecisionNote), and never an operational attribute:
     * creatorsName is set by the directory.
     */
    private static final String DECISION_ATTRIBUTES = "objectClass, egovDecisionId, egovDecision, egovRejectionReason, "
            + "description";

    /**
     * What an operator may put in a sync command entry it adds below a sync target: the command and
     * the settings an UPDATE changes, never an operational attribute (creatorsName is the directory's).
     */
    private static final String SYNC_COMMAND_ATTRIBUTES = "objectClass, egovSyncCommandId, egovSyncAction, "
            + "egovSyncReplayFrom, labeledURI, egovSyncBinding, egovBusinessType, egovSyncCaIdentifier, egovSyncEnabled, "
            + "egovSyncSchedule, egovSyncPersonalData, description";

    /**
     * Subentries earlier versions installed that the policy no longer has. Removed at start-up, or an
     * existing directory would keep granting what they granted: egovPkiOperatorsDecideRequests let
     * operators write a request's egovRequestState and egovRejectionReason, and the CA then had to
     * guess the author of a state from the entry's last modifier.
     */
    private static final List<String> RETIRED = List.of("egovPkiOperatorsDecideRequests");

    /** The containers the CA service account's full access is chopped before: the only ones it cannot see. */
    private static final Set<DirectoryLayout.Container> HIDDEN_FROM_CA = EnumSet.of(DirectoryLayout.Container.KM,
            DirectoryLayout.Container.SERVICES);

    /** What anyone may read on an entry of the X.500-named mirror: its name and its public certificates and CRLs. */
    static final String MIRROR_ATTRIBUTES = "objectClass, c, st, l, o, ou, cn, street, dc, uid, serialNumber, "
            + "cACertificate, certificateRevocationList, authorityRevocationList, deltaRevocationList, userCertificate, "
            + "crossCertificatePair";
    private static final String MIRROR_SUBENTRY = "egovPkiX500Mirror";

    private final LDAPInterface admin;
    private final DirectoryNames names;
    private final List<DN> x500Partitions;

    public ApacheDsAccessControl(LDAPInterface admin, DirectoryNames names) {
        this(admin, names, List.of());
    }

    /**
     * @param x500Partitions the X.500 mirror's naming contexts outside the base DN (each a partition
     *                       of its own, see {@link EmbeddedDirectory})
     */
    public ApacheDsAccessControl(LDAPInterface admin, DirectoryNames names, List<String> x500Partitions) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.names = Objects.requireNonNull(names, "names");
        this.x500Partitions = x500Partitions.stream().map(ApacheDsAccessControl::dn).toList();
    }

    private static DN dn(String text) {
        try {
            return new DN(text);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid LDAP DN: " + e.getMessage(), e);
        }
    }

    public void apply() {
        try {
            SearchResultEntry base = admin.getEntry(names.base().toString(), "administrativeRole");
            if (base == null) {
                throw new IllegalStateException("the base entry " + names.base() + " does not exist");
            }
            if (!base.hasAttributeValue("administrativeRole", AREA)) {
                // ApacheDS refuses to replace an administrative role; it can only be added.
                admin.modify(names.base().toString(),
                        new Modification(ModificationType.ADD, "administrativeRole", AREA));
            }
            for (Subentry subentry : policy()) {
                write(names.base(), subentry);
            }
            for (String retired : RETIRED) {
                remove(retired);
            }
            for (DN context : x500Partitions) {
                SearchResultEntry entry = admin.getEntry(context.toString(), "administrativeRole");
                if (entry == null) {
                    throw new IllegalStateException("the X.500 naming context " + context + " does not exist");
                }
                if (!entry.hasAttributeValue("administrativeRole", AREA)) {
                    admin.modify(context.toString(), new Modification(ModificationType.ADD, "administrativeRole", AREA));
                }
                // ApacheDS applies a subentry to its whole subtree, across the nested egov-pki partition and
                // its own access control area: only mirror entries, and never the egov-pki tree.
                String subtree = mirrorSubtree(context);
                write(context, new Subentry(MIRROR_SUBENTRY, subtree, aciOf("x500MirrorAccess", 50, "none",
                        "allUsers", List.of(mirrorRead()))));
                write(context, new Subentry(MIRROR_SUBENTRY + "Ca", subtree, aci("x500MirrorCaService", 50, "simple",
                        "name { \"" + names.caServiceAccount() + "\" }", "entry, allUserAttributeTypesAndValues", ALL)));
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("applying directory access control", e);
        }
        LOG.info("Directory access control applied under {}", names.base());
    }

    private record Subentry(String cn, String subtree, String aci) {
    }

    /**
     * Where this policy lets a service account see every entry, as the names of containers directly
     * below the base, each with everything below it: the CA account every container but
     * {@code ou=km} and {@code ou=services}, the KM account {@code ou=km}. Their grants there carry
     * every permission, {@code grantDiscloseOnError} and {@code grantBrowse} included, and nothing
     * denies, so an entry there is hidden from them only if it does not exist. {@link DisclosureGuard}
     * relies on this to skip asking the access control, so it changes with {@link #policy()}.
     *
     * @return service account DN → the containers (DNs) it sees everything in
     */
    public static Map<DN, Set<DN>> fullView(DirectoryNames names) {
        Map<DN, Set<DN>> view = new LinkedHashMap<>();
        view.put(names.caServiceAccount(), EnumSet.complementOf(EnumSet.copyOf(HIDDEN_FROM_CA)).stream()
                .map(names::container).collect(Collectors.toUnmodifiableSet()));
        view.put(names.kmServiceAccount(), Set.of(names.container(DirectoryLayout.Container.KM)));
        return Map.copyOf(view);
    }

    private List<Subentry> policy() {
        String caService = names.caServiceAccount().toString();
        String kmService = names.kmServiceAccount().toString();
        String operators = "subtree { { base \"" + names.container(DirectoryLayout.Container.OPERATORS) + "\" } }";
        String applicationAdmins = "userGroup { \"" + names.applicationAdmins() + "\" }";
        // Only operators who see registration data whole read requests and add decisions in an LDAP
        // browser (the group LdapOperatorDirectory keeps with their roles); the others use the API, masked.
        String requestReaders = "userGroup { \"" + names.requestReaders() + "\" }";
        return List.of(
                new Subentry("egovPkiPublicTree", "{ maximum 1 }", aci("anonymousReadTree", 10, "none", "allUsers",
                        "entry, allUserAttributeTypesAndValues", READ)),
                new Subentry("egovPkiPublicCAs", "{ base \"ou=" + DirectoryLayout.Container.CAS.ou() + "\" }",
                        aci("anonymousReadCAs", 10, "none", "allUsers", "entry, allUserAttributeTypesAndValues", READ)),
                // Only subscribers who did not opt out of publication: the others are not in the
                // public tree at all (no entry, no name, not counted by a search).
                new Subentry("egovPkiPublicCertificates",
                        "{ base \"ou=" + DirectoryLayout.Container.SUBSCRIBERS.ou() + "\", minimum 1, maximum 1, "
                                + "specificationFilter item:" + LdapSubscriberStore.PUBLISHED + " }",
                        aci("anonymousReadPublishedCertificates", 10, "none", "allUsers",
                                "entry, attributeType { " + PUBLIC_SUBSCRIBER_ATTRIBUTES + " }, allAttributeValues { "
                                        + PUBLIC_SUBSCRIBER_ATTRIBUTES + " }", READ)),
                new Subentry("egovPkiCaService",
                        "{ specificExclusions { " + HIDDEN_FROM_CA.stream().map(c -> "chopBefore: \"ou=" + c.ou() + "\"")
                                .collect(Collectors.joining(", ")) + " } }",
                        aci("caServiceFullAccess", 50, "simple", "name { \"" + caService + "\" }",
                                "entry, allUserAttributeTypesAndValues", ALL)),
                // The entry ou=km and everything below it; nobody else is granted anything there.
                new Subentry("egovPkiKmService", "{ base \"ou=" + DirectoryLayout.Container.KM.ou() + "\" }",
                        aci("kmServiceFullAccess", 50, "simple", "name { \"" + kmService + "\" }",
                                "entry, allUserAttributeTypesAndValues", ALL)),
                new Subentry("egovPkiOperatorsReadRequests",
                        "{ base \"ou=" + DirectoryLayout.Container.REQUESTS.ou() + "\", minimum 1 }",
                        aci("operatorsReadRequests", 20, "simple", requestReaders,
                                "entry, allUserAttributeTypesAndValues", READ)),
                addBelowChildren("egovPkiOperatorsAddDecisions", "operatorsAddDecisions", requestReaders,
                        DirectoryLayout.Container.REQUESTS, "egovRequestDecision", DECISION_ATTRIBUTES),
                new Subentry("egovPkiOperatorsReadSyncTargets",
                        "{ base \"ou=" + DirectoryLayout.Container.SYNC.ou() + "\", minimum 1, maximum 1, "
                                + "specificationFilter item:egovSyncTarget }",
                        aci("operatorsReadSyncTargets", 20, "simple", operators,
                                "entry, allUserAttributeTypesAndValues", READ)),
                addBelowChildren("egovPkiOperatorsAddSyncCommands", "operatorsAddSyncCommands", operators,
                        DirectoryLayout.Container.SYNC, "egovSyncTargetCommand", SYNC_COMMAND_ATTRIBUTES),
                // Application admins are operators too, but their scope is the API's (docs/statistics.md):
                // above the operators' grants, they are denied everything below requests and sync targets.
                new Subentry("egovPkiApplicationAdminsNoRequests",
                        "{ base \"ou=" + DirectoryLayout.Container.REQUESTS.ou() + "\", minimum 1 }",
                        aci("applicationAdminsNoRequests", 40, "simple", applicationAdmins,
                                "entry, allUserAttributeTypesAndValues", DENY_ALL)),
                new Subentry("egovPkiApplicationAdminsNoSync",
                        "{ base \"ou=" + DirectoryLayout.Container.SYNC.ou() + "\", minimum 1 }",
                        aci("applicationAdminsNoSync", 40, "simple", applicationAdmins,
                                "entry, allUserAttributeTypesAndValues", DENY_ALL)),
                // The X.500-named mirror's entries that lie under the base DN (CA names O=egov-pki,C=CN ...).
                new Subentry(MIRROR_SUBENTRY, "{ specificationFilter item:egovX500Name }",
                        aciOf("x500MirrorRead", 10, "none", "allUsers", List.of(mirrorRead()))));
    }

    /**
     * The subtree of a mirror context's subentries: entries of class egovX500Name only, and the
     * egov-pki base (when it lies below the context) chopped off.
     */
    private String mirrorSubtree(DN context) {
        String chop = "";
        if (names.base().isDescendantOf(context, false)) {
            RDN[] rdns = names.base().getRDNs();
            DN relative = new DN(java.util.Arrays.copyOf(rdns, rdns.length - context.getRDNs().length));
            chop = "specificExclusions { chopBefore: \"" + relative + "\" }, ";
        }
        return "{ " + chop + "specificationFilter item:egovX500Name }";
    }

    private static String mirrorRead() {
        return permission("entry, attributeType { " + MIRROR_ATTRIBUTES + " }, allAttributeValues { "
                + MIRROR_ATTRIBUTES + " }", READ);
    }

    /**
     * Lets {@code users} add — nothing else — entries of {@code objectClass} holding only
     * {@code attributes}, and only as direct children of the entries directly below
     * {@code container} (a decision below a request, a command below a sync target).
     */
    private static Subentry addBelowChildren(String cn, String tag, String users, DirectoryLayout.Container container,
                                             String objectClass, String attributes) {
        return new Subentry(cn, "{ base \"ou=" + container.ou() + "\", minimum 2, maximum 2, specificationFilter item:"
                + objectClass + " }", aciOf(tag, 20, "simple", users, List.of(permission("entry", "grantAdd"),
                permission("attributeType { " + attributes + " }, allAttributeValues { " + attributes + " }",
                        "grantAdd"))));
    }

    private static String aci(String tag, int precedence, String authenticationLevel, String userClass,
                              String protectedItems, String grants) {
        return aciOf(tag, precedence, authenticationLevel, userClass, List.of(permission(protectedItems, grants)));
    }

    private static String aciOf(String tag, int precedence, String authenticationLevel, String userClass,
                                List<String> permissions) {
        return "{ identificationTag \"" + tag + "\", precedence " + precedence + ", authenticationLevel "
                + authenticationLevel + ", itemOrUserFirst userFirst: { userClasses { " + userClass
                + " }, userPermissions { " + String.join(", ", permissions) + " } } }";
    }

    private static String permission(String protectedItems, String grants) {
        return "{ protectedItems { " + protectedItems + " }, grantsAndDenials { " + grants + " } }";
    }

    private void write(DN area, Subentry subentry) throws LDAPException {
        DN dn = new DN(new RDN("cn", subentry.cn()), area);
        SearchResultEntry existing = admin.getEntry(dn.toString(), "subtreeSpecification", "prescriptiveACI");
        if (existing != null) {
            if (same(existing.getAttributeValue("subtreeSpecification"), subentry.subtree())
                    && same(existing.getAttributeValue("prescriptiveACI"), subentry.aci())) {
                return;
            }
            // ApacheDS cannot modify a subentry's specification in place: replace the whole subentry.
            LOG.info("Access control subentry {} changed; replacing it", dn);
            admin.delete(dn.toString());
        }
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", "subentry", "accessControlSubentry");
        entry.addAttribute("cn", subentry.cn());
        entry.addAttribute("subtreeSpecification", subentry.subtree());
        entry.addAttribute("prescriptiveACI", subentry.aci());
        admin.add(entry);
    }

    private void remove(String cn) throws LDAPException {
        DN dn = new DN(new RDN("cn", cn), names.base());
        if (admin.getEntry(dn.toString(), "1.1") != null) {
            LOG.info("Access control subentry {} is no longer part of the policy; removing it", dn);
            admin.delete(dn.toString());
        }
    }

    /** ApacheDS may store these values re-spaced; compare them without white space. */
    private static boolean same(String stored, String wanted) {
        return stored != null && stored.replaceAll("\\s+", "").equalsIgnoreCase(wanted.replaceAll("\\s+", ""));
    }
}
