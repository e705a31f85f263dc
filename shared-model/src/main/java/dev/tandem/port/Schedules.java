package dev.tandem.port;

import dev.tandem.decide.Launch;

/** One-time schedules that invoke the decider when a launch's time comes (EventBridge Scheduler). */
public interface Schedules {

    /** Creates a one-time schedule for a launch; returns its name. */
    String launchAt(Launch launch);
}
