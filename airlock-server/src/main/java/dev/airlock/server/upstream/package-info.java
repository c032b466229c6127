@NullMarked
package dev.airlock.server.upstream;

import org.jspecify.annotations.NullMarked;
