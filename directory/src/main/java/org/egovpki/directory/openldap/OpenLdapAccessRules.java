package org.egovpki.directory.openldap;

import java.util.ArrayList;
import java.util.List;
import org.egovpki.directory.DirectoryNames;

/**
 * The access rules of an OpenLDAP database holding the egov-pki tree, as {@code olcAccess} values: the
 * one source of the block docs/directory.md ("OpenLDAP rules") shows administrators (a test keeps the
 * page equal to {@link #ldif()} for the default base DN) and of what {@code egov-pki directory
 * prepare-openldap} puts into the database. They are the embedded directory's policy
 * ({@code ApacheDsAccessControl}) in OpenLDAP's terms; docs/directory.md explains each rule.
 */
public final class OpenLdapAccessRules {

    private static final String TEMPLATE = """
olcAddContentAcl: TRUE
olcAccess: {0}to filter=(!(egovOperatorState=DISABLED)) attrs=userPassword
  by dn.exact="${ca}" write
  by anonymous auth
  by * none
olcAccess: {1}to dn.children="ou=certificates,${base}"
  by dn.exact="${ca}" write
  by * none
olcAccess: {2}to dn.base="ou=km,${base}" attrs=entry,objectClass,ou
  by dn.exact="${km}" write
  by * read
olcAccess: {3}to dn.subtree="ou=km,${base}"
  by dn.exact="${km}" write
  by * none
olcAccess: {4}to dn.children="ou=services,${base}"
  by * none
olcAccess: {5}to dn.subtree="ou=CAs,${base}"
  by dn.exact="${ca}" write
  by * read
olcAccess: {6}to dn.one="ou=subscribers,${base}"
    filter=(objectClass=egovPublishedSubscriber)
    attrs=entry,objectClass,cn,egovSubscriberId,userCertificate
  by dn.exact="${ca}" write
  by * read
olcAccess: {7}to dn.base="${base}"
  by dn.exact="${ca}" write
  by * read
olcAccess: {8}to dn.one="${base}" attrs=entry,objectClass,ou
  by dn.exact="${ca}" write
  by * read
olcAccess: {9}to dn.one="ou=requests,${base}" attrs=children
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by group/groupOfUniqueNames/uniqueMember="cn=request-readers,ou=operators,${base}" add
  by * none
olcAccess: {10}to dn.children="ou=requests,${base}"
    filter=(objectClass=egovRequestDecision)
    attrs=entry,objectClass,egovDecisionId,egovDecision,egovRejectionReason,description
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by dnattr=creatorsName group/groupOfUniqueNames/uniqueMember="cn=request-readers,ou=operators,${base}" add
  by group/groupOfUniqueNames/uniqueMember="cn=request-readers,ou=operators,${base}" read
  by * none
olcAccess: {11}to dn.children="ou=requests,${base}"
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by group/groupOfUniqueNames/uniqueMember="cn=request-readers,ou=operators,${base}" read
  by * none
olcAccess: {12}to dn.one="ou=sync,${base}"
    filter=(objectClass=egovSyncTarget) attrs=children
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by dn.children="ou=operators,${base}" add
  by * none
olcAccess: {13}to dn.one="ou=sync,${base}"
    filter=(objectClass=egovSyncTarget)
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by dn.children="ou=operators,${base}" read
  by * none
olcAccess: {14}to dn.children="ou=sync,${base}"
    filter=(objectClass=egovSyncTargetCommand)
    attrs=entry,objectClass,egovSyncCommandId,egovSyncAction,egovSyncReplayFrom,labeledURI,egovSyncBinding,egovBusinessType,egovSyncCaIdentifier,egovSyncEnabled,egovSyncSchedule,egovSyncPersonalData,description
  by dn.exact="${ca}" write
  by group/groupOfUniqueNames/uniqueMember="cn=application-admins,ou=operators,${base}" none
  by dnattr=creatorsName dn.children="ou=operators,${base}" add
  by * none
olcAccess: {15}to dn.subtree="${base}" filter=(objectClass=egovX500Name)
    attrs=entry,children,objectClass,c,st,l,o,ou,cn,street,dc,uid,serialNumber,cACertificate,certificateRevocationList,authorityRevocationList,deltaRevocationList,userCertificate,crossCertificatePair
  by dn.exact="${ca}" write
  by * read
olcAccess: {16}to *
  by dn.exact="${ca}" write
  by * none
""";

    private final DirectoryNames names;

    public OpenLdapAccessRules(DirectoryNames names) {
        this.names = names;
    }

    /** The rules as LDIF lines ({@code olcAccess: {n}to ...} with indented continuation lines). */
    public String ldif() {
        return TEMPLATE.replace("${ca}", names.caServiceAccount().toString())
                .replace("${km}", names.kmServiceAccount().toString())
                .replace("${base}", names.base().toString());
    }

    /** The rules as values, in order, each with its continuation lines joined by a line break. */
    public List<String> values() {
        List<String> rules = new ArrayList<>();
        for (String line : ldif().split("\n")) {
            if (line.startsWith("olcAccess: ")) {
                rules.add(line.substring("olcAccess: ".length()));
            } else if (line.startsWith(" ") && !rules.isEmpty()) {
                rules.set(rules.size() - 1, rules.get(rules.size() - 1) + "\n" + line.strip());
            }
        }
        return rules;
    }
}
