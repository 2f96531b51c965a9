using System.Diagnostics;
using System.Globalization;
using System.Text;
using RLKit.Algorithms.ActionRepresentations;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Experiments;

/// <summary>
/// Stage 1 of the framework (Algorithm 1, lines 1–7), shared by the methods of one seed: trains an action encoder on
/// the observations of the TRAINING actions only and infers the representation of every action (validation and test
/// actions included, unseen in training). Cached per environment, encoder and seed as
/// &lt;out&gt;/&lt;env&gt;/encoders/&lt;encoder&gt;-seed&lt;s&gt;.safetensors ("representations" [actions, size]) beside
/// &lt;encoder&gt;-seed&lt;s&gt;-epochs.csv (reconstruction and KL terms per epoch), so a resumed sweep or another
/// process reuses them.
/// </summary>
internal static class NewActionsEncoders
{
    public const string RepresentationsKey = "representations";
    public const string EpochsHeader = "epoch,reconstruction,action_kl,observation_kl,negative_elbo";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // The observations and the encoder's weights get seeds of their own, derived from the run seed.
    private const ulong ObservationSeedBase = 3_000_000, EncoderSeedBase = 4_000_000;

    public static string Directory(string root, NewActionsEnvironment env) => Path.Combine(root, env.Name, "encoders");

    public static string RepresentationsPath(string root, NewActionsEnvironment env, string encoder, ulong seed) =>
        Path.Combine(Directory(root, env), $"{encoder}-seed{seed.ToString(Invariant)}.safetensors");

    public static string EpochsPath(string root, NewActionsEnvironment env, string encoder, ulong seed) =>
        Path.Combine(Directory(root, env), $"{encoder}-seed{seed.ToString(Invariant)}-epochs.csv");

    /// <summary>The options the encoders of <paramref name="env"/> are trained with.</summary>
    public static ActionEncoderOptions Options(NewActionsEnvironment env, NewActionsSettings settings) => new()
    {
        // The ActionSet of the skill grid is 20 wide (its one-hot moves), so the learned representation is 20 wide
        // too (the paper: 16) and can be written into the environment's own ActionSet.
        RepresentationSize = env.RepresentationSize,
        Epochs = settings.EncoderEpochs,
        ObservationsPerAction = Math.Min(new ActionEncoderOptions().ObservationsPerAction, settings.TrajectoriesPerSkill),
    };

    /// <summary>
    /// The representations [ActionCount × RepresentationSize] of every action of <paramref name="env"/> by
    /// <paramref name="encoder"/> for run seed <paramref name="seed"/>: read from the cache, or trained and written.
    /// </summary>
    /// <exception cref="InvalidDataException">If the encoder's representations do not fit the environment's ActionSet.</exception>
    public static float[] Representations(NewActionsEnvironment env, string encoder, ulong seed, NewActionsSettings settings, string root)
    {
        string path = RepresentationsPath(root, env, encoder, seed);
        int width = env.RepresentationSize;
        if (File.Exists(path))
        {
            var cached = SafeTensors.Load(path).Tensors[RepresentationsKey];
            if (cached.Rank == 2 && cached.Dim(0) == env.ActionCount && cached.Dim(1) == width)
                return Standardised(env, encoder, cached.AsReadOnlySpan().ToArray());
            Console.Error.WriteLine($"[{encoder} {env.Name} seed {seed}] warning: {path} has the wrong shape; retraining");
        }
        System.IO.Directory.CreateDirectory(Directory(root, env));
        var (train, _, _) = env.Split();
        var observations = env.Observations(encoder, settings.TrajectoriesPerSkill, ObservationSeedBase + seed);
        var options = Options(env, settings);
        var model = ActionEncoders.Create(encoder, observations.Steps, observations.Features, options, new RandomGenerator(EncoderSeedBase + seed * 16 + (ulong)encoder.Length));
        string label = $"[{encoder} {env.Name} seed {seed}]";
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} training the encoder on {train.Length} training actions' observations ({observations}), {options.Epochs} epochs, batch {options.BatchSize} actions × {options.ObservationsPerAction} observations, representation {options.RepresentationSize}"));
        var watch = Stopwatch.StartNew();
        int every = Math.Max(1, options.Epochs / 10);
        var progress = new Progress(e =>
        {
            if (e.Epoch % every == 0 || e.Epoch == options.Epochs)
                Console.Error.WriteLine(string.Create(Invariant,
                    $"{label} epoch {e.Epoch}/{options.Epochs}: reconstruction {e.Reconstruction:0.###}, KL(c) {e.ActionKl:0.###}, KL(z) {e.ObservationKl:0.###} | {watch.Elapsed.TotalSeconds:0} s"));
        });
        var epochs = model.Fit(observations, train, progress);
        var all = Enumerable.Range(0, env.ActionCount).ToArray();
        var representations = model.Infer(observations, all);
        if (representations.Length != env.ActionCount * width)
            throw new InvalidDataException($"new-actions: the {encoder} encoder gives {representations.Length / env.ActionCount} floats per action; the {env.Name} ActionSet holds {width}.");

        var text = new StringBuilder(EpochsHeader).Append('\n');
        foreach (var e in epochs)
            text.Append(string.Create(Invariant, $"{e.Epoch},{e.Reconstruction:R},{e.ActionKl:R},{e.ObservationKl:R},{e.NegativeElbo:R}\n"));
        ExperimentOutput.WriteAtomically(EpochsPath(root, env, encoder, seed), text.ToString());
        SafeTensors.Save(path, new Dictionary<string, Tensor> { [RepresentationsKey] = Tensor.FromArray(representations, env.ActionCount, width) },
            new Dictionary<string, string>
            {
                ["encoder"] = encoder,
                ["seed"] = seed.ToString(Invariant),
                ["epochs"] = options.Epochs.ToString(Invariant),
                ["observations"] = observations.ToString(),
                ["seconds"] = watch.Elapsed.TotalSeconds.ToString("0.0", Invariant),
            });
        Console.Error.WriteLine(string.Create(Invariant, $"{label} encoder done in {watch.Elapsed.TotalSeconds:0.0} s; representations in {path}"));
        return Standardised(env, encoder, representations);
    }

    /// <summary>
    /// A learned encoder's representations as the policies read them, standardised over the TRAINING actions
    /// (<see cref="ActionEncoders.Standardise"/>): the HVAE's μ_c varies by about 0.004 between skills after 100 epochs,
    /// which a freshly initialised utility network cannot tell apart; the thesis does not say how its representations
    /// were scaled. The "given" representations (hand-engineered, the recommender's) are used as they are. The cache
    /// keeps the raw μ.
    /// </summary>
    private static float[] Standardised(NewActionsEnvironment env, string encoder, float[] representations)
    {
        if (encoder != "given") ActionEncoders.Standardise(representations, env.RepresentationSize, env.Split().Train);
        return representations;
    }

    /// <summary>The representations cached for <paramref name="encoder"/> and <paramref name="seed"/>, or null.</summary>
    public static float[]? ReadCached(string root, NewActionsEnvironment env, string encoder, ulong seed)
    {
        string path = RepresentationsPath(root, env, encoder, seed);
        if (!File.Exists(path)) return null;
        var t = SafeTensors.Load(path).Tensors[RepresentationsKey];
        return t.Rank == 2 && t.Dim(0) == env.ActionCount && t.Dim(1) == env.RepresentationSize ? Standardised(env, encoder, t.AsReadOnlySpan().ToArray()) : null;
    }

    /// <summary>Calls back synchronously (System.Progress would post to the thread pool and reorder the lines).</summary>
    private sealed class Progress(Action<ActionEncoderEpoch> report) : IProgress<ActionEncoderEpoch>
    {
        public void Report(ActionEncoderEpoch value) => report(value);
    }
}
