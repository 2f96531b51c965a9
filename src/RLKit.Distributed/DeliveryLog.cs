namespace RLKit.Distributed;

/// <summary>
/// The learner's record of what each worker delivered: the sequence numbers it accepted (each exactly once, in order),
/// and how delivery went (re-sent commands, answers from a worker's stored reply, replays after a lost worker). Tests
/// and monitoring read it to show that no transition was counted twice.
/// </summary>
public sealed class DeliveryLog
{
    private readonly WorkerDelivery[] _workers;

    internal DeliveryLog(int workers)
    {
        _workers = new WorkerDelivery[workers];
        for (int w = 0; w < workers; w++) _workers[w] = new WorkerDelivery(w);
    }

    /// <summary>One entry per worker, in worker order.</summary>
    public IReadOnlyList<WorkerDelivery> Workers => _workers;

    /// <summary>Replies accepted over all workers (each carries one transition per sub-environment of its worker, except resets).</summary>
    public long Accepted => _workers.Sum(w => w.Accepted);

    /// <summary>Accepted replies to Step commands over all workers: each brought one transition per sub-environment of its worker.</summary>
    public long AcceptedSteps => _workers.Sum(w => w.AcceptedSteps);

    /// <summary>Replies dropped because their sequence number had already been accepted.</summary>
    public long DuplicatesDropped => _workers.Sum(w => w.DuplicatesDropped);

    /// <summary>Times a lost worker was rebuilt by replaying its history.</summary>
    public long Recoveries => _workers.Sum(w => w.Recoveries);

    internal WorkerDelivery this[int worker] => _workers[worker];
}

/// <summary>Delivery counts of one worker.</summary>
public sealed class WorkerDelivery
{
    internal WorkerDelivery(int worker) => Worker = worker;

    /// <summary>The worker's index.</summary>
    public int Worker { get; }

    /// <summary>The last accepted sequence number; accepted numbers are exactly 1 … this.</summary>
    public long LastSequence { get; private set; }

    /// <summary>How many replies were accepted (equal to <see cref="LastSequence"/>: none twice, none skipped).</summary>
    public long Accepted { get; private set; }

    /// <summary>How many of the accepted replies answered a Step (the others a Reset).</summary>
    public long AcceptedSteps { get; private set; }

    /// <summary>Replies whose number was already accepted, dropped.</summary>
    public long DuplicatesDropped { get; private set; }

    /// <summary>Commands sent again after a failure (timeouts, a dead silo).</summary>
    public long Retries { get; private set; }

    /// <summary>Replies the worker answered from its stored reply (it had applied the command, the reply was lost).</summary>
    public long RepeatedReplies { get; private set; }

    /// <summary>Times the worker was rebuilt from its history on a new activation.</summary>
    public long Recoveries { get; private set; }

    /// <summary>Where the worker's current activation lives (a silo address), as it last reported.</summary>
    public string Silo { get; internal set; } = "";

    /// <summary>Accepts <paramref name="sequence"/> if it is the next number; returns false (and counts a dropped duplicate) if it was seen.</summary>
    internal bool Accept(long sequence, bool step)
    {
        if (sequence <= LastSequence)
        {
            DuplicatesDropped++;
            return false;
        }
        if (sequence != LastSequence + 1)
            throw new InvalidOperationException($"Worker {Worker} replied with sequence {sequence} after {LastSequence}: a command was skipped.");
        LastSequence = sequence;
        Accepted++;
        if (step) AcceptedSteps++;
        return true;
    }

    internal void Retried() => Retries++;

    internal void Repeated() => RepeatedReplies++;

    internal void Recovered() => Recoveries++;
}
