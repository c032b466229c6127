@NullMarked
package dev.airlock.server.config;

import org.jspecify.annotations.NullMarked;
