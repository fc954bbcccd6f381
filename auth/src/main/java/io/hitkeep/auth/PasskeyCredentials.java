package io.hitkeep.auth;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import com.yubico.webauthn.data.exception.Base64UrlException;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.StoreClient;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The relying party's view of stored passkeys, asked of the writer on every call ({@code passkeys.owner},
 * {@code passkeys.find}), so every auth replica sees the same credentials. WebAuthn's "username" is the
 * account's e-mail address: it is what an authenticator shows when the user picks a passkey. Thread-safe.
 */
final class PasskeyCredentials implements CredentialRepository {
    private final StoreClient store;

    PasskeyCredentials(StoreClient store) {
        this.store = store;
    }

    @Override
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String email) {
        Set<PublicKeyCredentialDescriptor> descriptors = new LinkedHashSet<>();
        owner(new PasskeyRecords.Owner(email, "")).ifPresent(owner -> owner.credentialIds().forEach(id ->
                descriptors.add(PublicKeyCredentialDescriptor.builder().id(bytes(id)).build())));
        return descriptors;
    }

    @Override
    public Optional<ByteArray> getUserHandleForUsername(String email) {
        return owner(new PasskeyRecords.Owner(email, "")).map(owner -> bytes(owner.userHandle()));
    }

    @Override
    public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
        return owner(new PasskeyRecords.Owner("", userHandle.getBase64Url())).map(PasskeyRecords.PasskeyOwner::email);
    }

    @Override
    public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
        return lookupAll(credentialId).stream()
                .filter(credential -> credential.getUserHandle().equals(userHandle))
                .findFirst();
    }

    @Override
    public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
        return find(credentialId.getBase64Url()).map(stored -> Set.of(RegisteredCredential.builder()
                        .credentialId(credentialId)
                        .userHandle(bytes(stored.userHandle()))
                        .publicKeyCose(bytes(stored.publicKeyCose()))
                        .signatureCount(stored.signatureCount())
                        .build()))
                .orElse(Set.of());
    }

    /** The stored credential with its owner's id, e-mail and session epoch; empty for an unknown one. */
    Optional<PasskeyRecords.StoredCredential> find(String credentialId) {
        return notFoundIsEmpty(() -> store.call(PasskeyRecords.FIND, new PasskeyRecords.CredentialRef(credentialId)));
    }

    private Optional<PasskeyRecords.PasskeyOwner> owner(PasskeyRecords.Owner owner) {
        return notFoundIsEmpty(() -> store.call(PasskeyRecords.OWNER, owner));
    }

    private static <T> Optional<T> notFoundIsEmpty(java.util.function.Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (DomainError e) {
            if (e.kind() == DomainError.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static ByteArray bytes(String base64Url) {
        try {
            return ByteArray.fromBase64Url(base64Url);
        } catch (Base64UrlException e) {
            throw new HitKeepException("stored passkey value is not base64url", e);
        }
    }
}
