using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Envs.Recommender;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// One evaluation: the mean greedy return over the episodes, and the environment's extra number (dig-lava: the
/// shortcut rate over the episodes that offered a dig skill; RecSim: the mean CPR of every recommended slate), null
/// when the environment has none or no episode qualified.
/// </summary>
internal sealed record AgileScore(double MeanReturn, double? Extra, int ExtraEpisodes);

/// <summary>
/// Runs an agent greedily for whole episodes on fixed copies of an environment, all in lock step (one batched
/// forward pass per step over the copies still running), handing it each copy's availability through
/// <see cref="IActionSetAgent"/>. Episode i always starts from reset seed <c>seed + i</c>, so successive evaluations
/// of a run see the same users, layouts and offered skills. The library's Evaluator reports returns only; this loop
/// also watches the unwrapped environment: whether the dig-lava agent stood in lava and dug through it, and the CPR
/// of each RecSim slate.
/// </summary>
internal sealed class AgileEvaluator
{
    private readonly AgileEnvironment _env;
    private readonly IEnvironment[] _copies;
    private readonly ulong _seed;

    /// <summary>Makes <paramref name="episodes"/> copies (train or test actions), each wrapped by <paramref name="wrap"/>.</summary>
    public AgileEvaluator(AgileEnvironment env, Func<IEnvironment, IEnvironment> wrap, int episodes, bool test, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        _env = env;
        var make = env.Factory(test);
        _copies = Enumerable.Range(0, episodes).Select(_ => wrap(make())).ToArray();
        _seed = seed;
    }

    /// <summary>Runs one greedy episode on every copy.</summary>
    /// <exception cref="ArgumentException">If the agent does not act on action sets (<see cref="IActionSetAgent"/>).</exception>
    public AgileScore Evaluate(IAgent agent)
    {
        var setAgent = agent as IActionSetAgent
                       ?? throw new ArgumentException($"agile: the agent ({agent.GetType().Name}) must implement IActionSetAgent to be evaluated with each state's available actions.", nameof(agent));
        int count = _copies.Length;
        var first = _copies[0];
        int observationSize = first.ObservationSpace.FlatSize;
        var (universe, width) = first.ActionSpace switch
        {
            ActionSet set => (set.Count, 1),
            ActionList list => (list.Items.Count, list.Length),
            var other => throw new NotSupportedException($"agile: evaluation needs an ActionSet or ActionList action space; {_env.Name} has {other.Description}."),
        };

        var observations = new float[count][];
        var returns = new double[count];
        var done = new bool[count];
        var probes = new Probe[count];
        for (int i = 0; i < count; i++)
        {
            var copy = _copies[i];
            var reset = copy.Reset(_seed + (ulong)i);
            observations[i] = reset.Observation.ToArray();
            probes[i] = Probe.For(copy);
        }

        var rows = new List<int>(count);
        var availability = new bool[count * universe];
        var actions = new int[count * width];
        var single = new int[width];
        while (true)
        {
            rows.Clear();
            for (int i = 0; i < count; i++) if (!done[i]) rows.Add(i);
            if (rows.Count == 0) break;
            var batch = Tensor.Zeros(rows.Count, observationSize);
            var data = batch.AsSpan();
            for (int r = 0; r < rows.Count; r++)
            {
                observations[rows[r]].CopyTo(data.Slice(r * observationSize, observationSize));
                Available(_copies[rows[r]]).CopyTo(availability.AsSpan(r * universe, universe));
            }
            using (TensorScope.Begin())
                setAgent.Act(batch, availability.AsSpan(0, rows.Count * universe), actions.AsSpan(0, rows.Count * width), deterministic: true);
            for (int r = 0; r < rows.Count; r++)
            {
                int i = rows[r];
                var copy = _copies[i];
                probes[i].BeforeStep();
                actions.AsSpan(r * width, width).CopyTo(single);
                var step = width == 1 && copy.ActionSpace is ActionSet ? copy.Step(single[0]) : copy.Step((ReadOnlySpan<int>)single);
                returns[i] += step.Reward;
                probes[i].AfterStep(step.Terminated);
                if (step.Done) done[i] = true;
                else step.Observation.CopyTo(observations[i]);
            }
        }

        double mean = returns.Average();
        return _env.ExtraName switch
        {
            "shortcut_rate" => ShortcutRate(mean, probes),
            "cpr" => MeanCpr(mean, probes),
            _ => new AgileScore(mean, null, 0),
        };
    }

    private static AgileScore ShortcutRate(double mean, Probe[] probes)
    {
        var offered = probes.Cast<DigLavaProbe>().Where(p => p.DigOffered).ToList();
        return new AgileScore(mean, offered.Count == 0 ? null : offered.Count(p => p.Dug) / (double)offered.Count, offered.Count);
    }

    private static AgileScore MeanCpr(double mean, Probe[] probes)
    {
        var slates = probes.Cast<RecSimProbe>().ToList();
        int steps = slates.Sum(p => p.Slates);
        return new AgileScore(mean, steps == 0 ? null : slates.Sum(p => p.CprSum) / steps, probes.Length);
    }

    /// <summary>The availability of the environment's action universe (an ActionSet's, or an ActionList's items').</summary>
    public static ReadOnlySpan<bool> Available(IEnvironment environment) => environment.ActionSpace switch
    {
        ActionSet set => set.Available,
        ActionList list => list.Items.Available,
        var other => throw new NotSupportedException($"agile: {other.Description} has no availability."),
    };

    /// <summary>The innermost environment below the wrappers (the catalog's TimeLimit, the availability observation).</summary>
    public static IEnvironment Unwrap(IEnvironment environment) => environment is Wrapper wrapper ? wrapper.Unwrapped : environment;

    /// <summary>Watches one episode of one copy.</summary>
    private abstract class Probe
    {
        public virtual void BeforeStep() { }
        public virtual void AfterStep(bool terminated) { }

        public static Probe For(IEnvironment copy) => Unwrap(copy) switch
        {
            DigLavaGrid grid => new DigLavaProbe(grid),
            RecSimSlate slate => new RecSimProbe(slate),
            _ => new Probe.None(),
        };

        private sealed class None : Probe;
    }

    /// <summary>
    /// A shortcut: the episode offered dig-orange or dig-pink, the agent stepped into lava and its next action dug
    /// the lava (the step after entering lava survives only with the matching dig, so "in lava, then not terminated"
    /// is exactly a successful dig).
    /// </summary>
    private sealed class DigLavaProbe(DigLavaGrid grid) : Probe
    {
        private bool _wasInLava;

        public bool DigOffered { get; } = grid.Skills.Available[(int)DigLavaSkill.DigOrange] || grid.Skills.Available[(int)DigLavaSkill.DigPink];
        public bool Dug { get; private set; }

        public override void BeforeStep() => _wasInLava = grid.InLava;

        public override void AfterStep(bool terminated)
        {
            if (_wasInLava && !terminated) Dug = true;
        }
    }

    /// <summary>Sums the CPR of every slate the agent recommends.</summary>
    private sealed class RecSimProbe(RecSimSlate slate) : Probe
    {
        public double CprSum { get; private set; }
        public int Slates { get; private set; }

        public override void AfterStep(bool terminated)
        {
            CprSum += slate.LastCpr;
            Slates++;
        }
    }
}
