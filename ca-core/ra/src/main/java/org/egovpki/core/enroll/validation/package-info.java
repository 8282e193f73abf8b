/**
 * Validation of everything a subscriber submits before a request may be reviewed
 * (REQUIREMENTS §3-§4): the PKCS#10 request and its proof of possession
 * ({@link org.egovpki.core.enroll.validation.CertificationRequests}), the public key
 * ({@link org.egovpki.core.enroll.validation.KeyPolicy}), the subject DN
 * ({@link org.egovpki.core.enroll.validation.SubjectDnPolicy}) and the registration data
 * ({@link org.egovpki.core.enroll.validation.RegistrationPolicy}) with the Chinese identifier
 * check digits (GB 11643 resident ID, GB 32100 USCC, GB 11714 organisation code).
 *
 * <p>Every refusal is a {@link org.egovpki.core.DomainException} of kind BAD_REQUEST whose field
 * names the input ({@code csr}, {@code subject.CN}, {@code registration.idNumber} ...) and whose
 * message says what is wrong and what to do. Messages quote at most 40 characters of a value and
 * never a whole request. Nothing here holds mutable state or reads the clock: "today" is a
 * parameter.
 */
package org.egovpki.core.enroll.validation;
