@NullMarked
package dev.airlock.server;

import org.jspecify.annotations.NullMarked;
