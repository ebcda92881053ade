package io.larder.spi;

import java.time.InstantSource;
import java.util.Optional;

/**
 * What a {@code Larder} gives the store it uses.
 *
 * @param clock the clock entries' times are read from
 * @param secret the HMAC secret that authenticates entries other processes can write, if set
 */
public record StoreContext(InstantSource clock, Optional<byte[]> secret) { }
