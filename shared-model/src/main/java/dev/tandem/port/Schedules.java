package dev.tandem.port;

import dev.tandem.decide.Launch;

/** Schedules that invoke the decider when a launch's time comes (EventBridge Scheduler). */
public interface Schedules {

    /** Creates a one-time schedule for a launch; returns its name. */
    String launchAt(Launch launch);

    /**
     * Creates the recurring schedule of a recurring campaign's recurrence, from its first occurrence to the campaign's
     * {@code until}; returns its name. It wakes the decider at each occurrence; the sweeps would find it due anyway.
     */
    String recurring(Launch recurrence, dev.tandem.campaign.Recurrence rhythm);

    /** Deletes a recurrence's schedule, if it has one. */
    void cancel(Launch recurrence);
}
