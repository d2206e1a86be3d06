using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>An example the feedback provider scored: a vector, a point id or a document, and its score.</summary>
public sealed record FeedbackItem(VectorInput Example, float Score);

/// <summary>The reference's <c>naive</c> strategy: trained coefficients of <c>a·sim(target) + Σ c·confidence^b·delta</c>.</summary>
public sealed record NaiveFeedbackStrategy(float A, float B, float C);

/// <summary>
/// Relevance feedback: every point scored <c>a·sim(target, x) + Σ c·(s⁺ − s⁻)^b·(sim(e⁺, x) − sim(e⁻, x))</c> over
/// the ordered pairs of feedback examples whose scores differ (e⁺ the better scored), as the reference's
/// <c>FeedbackQuery</c>. Scores are returned as computed, larger better.
/// </summary>
public sealed record RelevanceFeedbackQuery(VectorInput Target, IReadOnlyList<FeedbackItem> Feedback, NaiveFeedbackStrategy Strategy) : QueryInput
{
    /// <summary>The REST schema's refusal of an empty feedback list (the reference's gRPC accepts one: no pairs).</summary>
    public static AvError EmptyFeedback(string path) =>
        AvError.Validation("[internal." + (path.Length == 0 ? "" : path + ".") + "query.relevance_feedback.__all__: feedback elements must be non-empty]");

    /// <summary>The problem with the strategy's <c>b</c> (it must be at least 0, NaN refused), or null.</summary>
    public static string? ExponentProblem(float b) =>
        b >= 0f ? null : $"value {RequestRules.JsonFloat(b)} invalid, must be 0.0 or larger";
}
