using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

/// <summary>
/// Formula queries: every point the branches found is scored by the formula, from its branch scores, its payload and
/// the formula's conditions (each checked once for all the points, as a filter over their ids), and the best
/// <c>limit</c> are kept, largest first, those under the score threshold left out.
/// </summary>
internal sealed partial class Collection
{
    private Result<IReadOnlyList<ScoredPoint>> RescoreWithFormula(
        FormulaQuery query,
        IReadOnlyList<IReadOnlyList<ScoredPoint>> sources,
        float? scoreThreshold,
        int limit,
        CancellationToken ct)
    {
        if (!FormulaParser.Parse(query).TryGet(out var formula, out var error))
        {
            return error;
        }

        var scores = new List<IReadOnlyDictionary<PointId, float>>(sources.Count);
        var candidates = new Dictionary<PointId, ulong>();
        foreach (var list in sources)
        {
            var byId = new Dictionary<PointId, float>(list.Count);
            foreach (var point in list)
            {
                byId.TryAdd(point.Id, point.Score);
                candidates.TryAdd(point.Id, point.Version);
            }

            scores.Add(byId);
        }

        if (candidates.Count == 0)
        {
            return Array.Empty<ScoredPoint>();
        }

        var ids = candidates.Keys.ToArray();
        Dictionary<PointId, Payload?>? payloads = null;
        if (formula.ReadsPayload)
        {
            // A point deleted since its branch found it is left out, as one the reference no longer sees.
            payloads = ShardRouting.Retrieve(_placement, ids, WithPayload.All, WithVector.None).ToDictionary(r => r.Id, r => r.Payload);
        }

        var among = new HasIdCondition(new HashSet<PointId>(ids));
        var meets = new List<HashSet<PointId>>(formula.Conditions.Count);
        foreach (var condition in formula.Conditions)
        {
            meets.Add([.. ScrollIds(new Filter(Must: [condition, among]), null, ids.Length, ct)]);
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var scorer = new FormulaScorer(formula, scores);
        var scored = new List<ScoredPoint>(ids.Length);
        var flags = new bool[meets.Count];
        foreach (var id in ids)
        {
            Payload? payload = null;
            if (payloads is not null && !payloads.TryGetValue(id, out payload))
            {
                continue;
            }

            for (var i = 0; i < flags.Length; i++)
            {
                flags[i] = meets[i].Contains(id);
            }

            if (!scorer.Score(new FormulaPoint(id, payload, flags)).TryGet(out var score, out error))
            {
                return error;
            }

            // Kept from the threshold up, as the reference keeps formula scores.
            if (scoreThreshold is not { } threshold || score >= threshold)
            {
                scored.Add(new ScoredPoint(id, candidates[id], score, null, null));
            }
        }

        scored.Sort((a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Id.CompareTo(b.Id);
        });
        return scored.Count > limit ? scored.GetRange(0, limit) : scored;
    }
}
