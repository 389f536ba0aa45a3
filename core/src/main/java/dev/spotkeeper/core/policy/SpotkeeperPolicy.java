package dev.spotkeeper.core.policy;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.policy.SpotMarket.Option;
import java.util.List;
import java.util.Optional;

/**
 * spotkeeper's policy: what a controller can do with what it can see (prices, the pool it holds, the answers to its
 * own launches), deciding spot, on-demand or waiting afresh at every tick.
 *
 * <p>Ideas from "Can't Be Late" (Wu et al., NSDI '24): slack, the time left beyond what finishing on on-demand
 * needs, is what waiting for spot spends; spent all early (Greedy), it leaves the end of the job on on-demand while
 * spot may be there, so its use is weighed against what the rest of the job will need. From SkyNomad (NSDI '27):
 * learn availability by asking (a launch that is refused or granted), weigh a zone by the expected cost of a unit of
 * progress there (price, restart and the checkpoint's move over how long spot tends to last), and turn the
 * deadline's pressure into money. The implementation is spotkeeper's own:
 *
 * <ul>
 *   <li>Each zone's start is priced per useful hour from its learnt hazard ({@link SpotMarket}); zones are asked in
 *       order of how likely spot is there and then of that price, a region with more zones ranking better for a
 *       checkpoint that is dear to move.</li>
 *   <li>Slack is kept for the restarts the rest of the job is expected to need, with a margin
 *       ({@link SlackOutlook}); only the excess may be spent waiting. An hour of slack is worth nothing while the
 *       excess is large and up to on-demand's premium as it runs out. While there is excess the job waits for spot
 *       at about the cheapest price, taking a dearer zone only when its extra cost is below what waiting a typical
 *       gap would spend in slack; without, anything cheaper than on-demand that pays for its restart and the
 *       return to on-demand, and otherwise on-demand.</li>
 *   <li>On-demand is a decision, not a latch: every tick it asks for spot where a move pays, while the slack leaves
 *       room for the move and a later return (only the return where on-demand runs on until spot has started).</li>
 *   <li>Enough slack always stays for losing spot right after a start; a running instance moves only to a zone
 *       cheaper per useful hour by a clear margin.</li>
 * </ul>
 */
public final class SpotkeeperPolicy implements SchedulingPolicy {
    /**
     * The knobs. The defaults were chosen on the windows of the first half of the shipped traces and checked on the
     * second half (see docs/replay.md).
     *
     * @param priorSpellHours   how long spot is believed to last before anything is learnt
     * @param priorWeightHours  hours of watching a zone's prior counts as
     * @param priorAvailability chance spot is there in a zone nothing is known of (a placement score replaces it)
     * @param recoveryHours     how fast what was seen of a zone fades; also the prior gap until spot is back
     * @param patience          while the slack is plentiful, a zone is taken at up to this times the cheapest
     * @param reserveSigmas     standard deviations of the restarts still to come kept in the slack on top of their mean
     * @param switchGain        a running instance moves only for a saving of this fraction of on-demand per hour
     * @param minChance         with on-demand the alternative, spot is asked for only where it is this likely
     * @param optimism          a zone's hazard is divided by {@code 1 + optimism / √(1 + losses)} when pricing a
     *                          start, about that many standard errors lower: a zone tried a few times is tried again
     * @param handOverRestarts  with a hand-over from on-demand and no slack to spare, spot is started from on-demand
     *                          rather than from nothing once a start would leave less than this many restarts of slack
     */
    public record Tuning(double priorSpellHours, double priorWeightHours, double priorAvailability,
                         double recoveryHours, double patience, double reserveSigmas, double switchGain,
                         double minChance, double optimism, double handOverRestarts) {
        public static final Tuning DEFAULT = new Tuning(4.0, 4.0, 0.5, 1.0, 1.10, 2.0, 0.05, 0.15, 1.0, 4.0);
    }

    private final Tuning tuning;
    private final SpotMarket market;
    private final SlackOutlook outlook = new SlackOutlook();
    private long step;

    public SpotkeeperPolicy() {
        this(Tuning.DEFAULT);
    }

    public SpotkeeperPolicy(Tuning tuning) {
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.market = new SpotMarket(tuning);
    }

    @Override
    public String name() {
        return "spotkeeper";
    }

    @Override
    public void observeMarket(double tickHours, List<ZoneView> zones) {
        step++;
        market.tick();
        market.learn(zones, tickHours);
    }

    @Override
    public Decision decide(Observation o) {
        if (o.attempt() == 0) {
            step++;
            market.tick();
            outlook.track(o, step);
        }
        market.learn(o.zones(), o.tickHours());
        List<Option> options = market.options(o);
        Decision onDemand = o.holding() instanceof Decision.OnDemand ? o.holding() : onDemandStart(o, options);
        if (o.mustRunOnDemand()) {
            return onDemand;
        }
        Pressure p = pressure(o);
        if (o.holding() instanceof Decision.Spot s) {
            return keepOrMove(o, s, options);
        }
        if (o.holding() instanceof Decision.OnDemand) {
            return leaveOnDemand(o, options, p).orElse(onDemand);
        }
        return fromIdle(o, options, p, onDemand);
    }

    /**
     * The deadline's pressure now: the slack beyond the reserve for restarts, what an hour of slack is worth (nothing
     * with slack to spare, up to on-demand's premium over the cheapest spot as the excess runs out), the cheapest cost
     * per useful hour any zone offers, and how long a gap until spot is back is expected to last.
     */
    private record Pressure(double excess, double slackValue, double cheapest, double gapHours) {
        boolean patient() {
            return excess > 0;
        }
    }

    private Pressure pressure(Observation o) {
        double excess = SlackOutlook.excess(o, market.pooledHazard(), tuning.reserveSigmas());
        double cheapest = market.cheapest(o);
        double premium = Math.max(0, o.onDemandPrice() - cheapest);
        double restart = o.startHours(o.homeRegion());
        double value = excess <= 0 ? premium : premium * Math.exp(-excess / (2 * restart));
        return new Pressure(excess, value, cheapest, outlook.meanGapHours(tuning.recoveryHours()));
    }

    private Decision fromIdle(Observation o, List<Option> options, Pressure p, Decision onDemand) {
        boolean patient = p.patient();
        if (!patient && o.handOver() && slackIsShort(o)) {
            // Spot is reached through on-demand: a spot start lost or refused then costs no slack.
            return onDemand;
        }
        for (Option z : options) {
            if (!safe(o, z, 0) || !worthTaking(o, z, p)) {
                continue;
            }
            if (patient) {
                return Decision.spot(z.name());
            }
            // On-demand is the alternative: ask only where spot is likely, and never so often that the refusals
            // would use up the tick on-demand should start in.
            if ((o.attempt() + 1) * o.launchLatencyHours() >= o.tickHours()) {
                break;
            }
            if (z.chance() >= tuning.minChance() && pays(o, z, p, false)) {
                return Decision.spot(z.name());
            }
        }
        return patient ? Decision.NONE : onDemand;
    }

    /**
     * With a hand-over, slack is short once a start would leave less than {@code handOverRestarts} restarts of it:
     * from then on a spot start made directly, lost or refused, spends slack that going through on-demand keeps.
     */
    private boolean slackIsShort(Observation o) {
        double restart = o.startHours(o.homeRegion());
        return o.slackHours() - restart < tuning.handOverRestarts() * restart;
    }

    /**
     * A zone is worth taking now if it costs about the least any zone offers, or if its extra cost over that is
     * less than what waiting a typical gap for the cheaper one would cost; with no slack to spare, anything cheaper
     * than on-demand.
     */
    private boolean worthTaking(Observation o, Option z, Pressure p) {
        if (z.costPerUsefulHour() >= o.onDemandPrice()) {
            return false;
        }
        if (z.costPerUsefulHour() <= p.cheapest() * tuning.patience() || !p.patient()) {
            return true;
        }
        double extra = (z.costPerUsefulHour() - p.cheapest()) * z.usefulHours();
        return extra <= waitingCost(o, p);
    }

    /**
     * What waiting a typical gap for cheaper spot would cost: its slack at the slack's value while the excess lasts,
     * and on-demand's premium for the part of the gap beyond the excess, which the deadline would have to buy back.
     */
    private static double waitingCost(Observation o, Pressure p) {
        double premium = Math.max(0, o.onDemandPrice() - p.cheapest());
        double within = Math.min(p.gapHours(), Math.max(0, p.excess()));
        return p.slackValue() * within + premium * (p.gapHours() - within);
    }

    /**
     * Leaving on-demand for spot: this start and a later return to on-demand must both fit in the slack. With a
     * hand-over, on-demand keeps making progress while spot starts, so only the return has to fit, and a spot lost
     * while it starts costs nothing but its billed start.
     */
    private Optional<Decision> leaveOnDemand(Observation o, List<Option> options, Pressure p) {
        double back = o.startHours(o.homeRegion());
        if (o.handOver() && o.overheadLeftHours() > 0) {
            // Only a warm on-demand instance hands over; leaving one that is starting would waste its start.
            return Optional.empty();
        }
        for (Option z : options) {
            boolean safe = o.handOver() ? o.slackHours() - back >= o.tickHours() + o.launchLatencyHours()
                    : safe(o, z, back);
            if (z.costPerUsefulHour() < o.onDemandPrice() && safe && pays(o, z, p, true)) {
                return Optional.of(Decision.spot(z.name()));
            }
        }
        return Optional.empty();
    }

    private Decision keepOrMove(Observation o, Decision.Spot held, List<Option> options) {
        if (o.overheadLeftHours() > 0) {
            return held;
        }
        double price = o.zone(held.zone()).map(ZoneView::spotPrice).orElse(Double.POSITIVE_INFINITY);
        for (Option z : options) {
            boolean better = price - z.costPerUsefulHour() > tuning.switchGain() * o.onDemandPrice();
            if (!z.name().equals(held.zone()) && better && z.chance() >= tuning.minChance() && safe(o, z, 0)) {
                return Decision.spot(z.name());
            }
        }
        return held;
    }

    /**
     * A start in {@code z} leaves at least a tick and a refused launch of slack after its restart (and after
     * {@code extra} more hours, the return to on-demand when leaving it), so that losing spot at once still leaves
     * on-demand in time.
     */
    private static boolean safe(Observation o, Option z, double extra) {
        double slack = o.holding() instanceof Decision.OnDemand ? o.timeLeftHours() - o.workLeftHours() - extra
                : o.slackHours();
        return slack - z.startHours() >= o.tickHours() + o.launchLatencyHours();
    }

    /**
     * True when spot in {@code z} is expected to cost less than staying on (or going to) on-demand for the same
     * progress: the saving over its useful hours against its restart, egress, the restart on-demand needs once spot
     * goes, and the slack those restarts take.
     */
    private static boolean pays(Observation o, Option z, Pressure p, boolean leavingOnDemand) {
        double onDemand = o.onDemandPrice();
        double back = o.startHours(o.homeRegion());
        double saving = (onDemand - z.costPerUsefulHour()) * z.usefulHours();
        double returnCost = z.lossChance() * back * (onDemand + p.slackValue());
        // A start handed over from on-demand spends no slack: on-demand makes the progress meanwhile.
        double ownStart = leavingOnDemand && o.handOver() ? 0 : z.startHours() * p.slackValue();
        double avoided = leavingOnDemand ? 0 : back * onDemand;
        return saving + avoided - returnCost - ownStart > 0;
    }

    /**
     * On-demand where the checkpoint is; before there is one, in the region of the cheapest on-demand price, and
     * among those the one whose spot looks best, so that a later move to spot there moves nothing.
     */
    private static Decision onDemandStart(Observation o, List<Option> options) {
        if (o.checkpointRegion().isPresent()) {
            return Decision.onDemand(o.checkpointRegion().get());
        }
        double lowest = o.onDemandPrice(o.homeRegion());
        for (Option z : options) {
            if (o.onDemandPrice(z.zone().region()) <= lowest) {
                return Decision.onDemand(z.zone().region());
            }
        }
        return Decision.onDemand(o.homeRegion());
    }
}
