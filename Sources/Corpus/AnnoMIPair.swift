/// A client turn of an AnnoMI transcript and the therapist turn that immediately follows it.
public struct AnnoMIPair: Sendable, Hashable {
    /// Who speaks a turn.
    public enum Speaker: String, CaseIterable, Sendable {
        case therapist, client
    }

    /// The therapist turn's main behaviour as AnnoMI's annotators labelled it.
    public enum Behaviour: String, CaseIterable, Sendable {
        case reflection, question
        case therapistInput = "therapist_input"
        case other
    }

    /// The kind of reflection, when annotators marked one.
    public enum ReflectionSubtype: String, CaseIterable, Sendable {
        case simple, complex
    }

    /// One utterance of the context.
    public struct Turn: Sendable, Hashable {
        /// Who said it.
        public var speaker: Speaker
        /// What was said.
        public var text: String

        /// Creates a turn.
        public init(speaker: Speaker, text: String) {
            self.speaker = speaker
            self.text = text
        }
    }

    /// The transcript's id; split by this, never by pair, so no conversation is on both sides.
    public var transcriptID: Int
    /// The transcript's topic, e.g. `reducing alcohol consumption`.
    public var topic: String
    /// The transcript's MI quality, `high` or `low`.
    public var quality: String
    /// The client turn's `utterance_id`.
    public var clientUtteranceID: Int
    /// What the client said.
    public var client: String
    /// Up to the last `AnnoMIImporter.contextLength` utterances before the therapist turn, oldest first; the last is the client turn.
    public var context: [Turn]
    /// What the therapist said next.
    public var response: String
    /// The response's main behaviour (majority over annotators in the full file).
    public var behaviour: Behaviour
    /// The response's reflection subtype by strict majority of the annotators who gave one (full file only).
    public var subtype: ReflectionSubtype?

    /// Creates a pair.
    public init(transcriptID: Int, topic: String, quality: String, clientUtteranceID: Int, client: String,
                context: [Turn], response: String, behaviour: Behaviour, subtype: ReflectionSubtype?) {
        self.transcriptID = transcriptID
        self.topic = topic
        self.quality = quality
        self.clientUtteranceID = clientUtteranceID
        self.client = client
        self.context = context
        self.response = response
        self.behaviour = behaviour
        self.subtype = subtype
    }
}
