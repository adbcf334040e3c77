package io.queststream.trainer.cli;

import io.queststream.model.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Makes the trainer's Ed25519 signing key pair: the private key for signing.key.file, the public one for the apps. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate an Ed25519 key pair for signing weights: DIR/weights-signing.key (private, mode 0600; "
        + "the trainer's signing.key.file) and DIR/weights-signing.pub (public; the streams apps' "
        + "weights.trusted-keys-file).")
final class KeygenCommand implements Callable<Integer> {

  static final String PRIVATE_FILE = "weights-signing.key";
  static final String PUBLIC_FILE = "weights-signing.pub";

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the two key files.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    Path privateFile = dir.resolve(PRIVATE_FILE);
    if (Files.exists(privateFile)) {
      System.err.println(privateFile + " exists; not overwriting a signing key");
      return 2;
    }
    Files.createDirectories(dir);
    KeyPair pair = SigningKeys.generate();
    SigningKeys.writePrivateKey(pair.getPrivate(), privateFile);
    SigningKeys.writePublicKey(pair.getPublic(), dir.resolve(PUBLIC_FILE));
    System.out.println("key " + SigningKeys.keyId(pair.getPublic()) + ": private " + privateFile + ", public "
        + dir.resolve(PUBLIC_FILE));
    return 0;
  }
}
