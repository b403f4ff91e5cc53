import Testing
@testable import Corpus

/// AnnoMI CSV: pairing, context, majority labels from the full file, and malformed files.
struct AnnoMIImporterTests {
    /// A made-up transcript in the simple layout, rows deliberately out of order.
    static let simple = """
        transcript_id,mi_quality,video_title,video_url,topic,utterance_id,interlocutor,timestamp,utterance_text,main_therapist_behaviour,client_talk_type
        7,high,Demo,http://example.invalid,walking more,1,client,00:00:05,"I walk the dog, but only round the block.",n/a,neutral
        7,high,Demo,http://example.invalid,walking more,0,therapist,00:00:01,How are the evenings going?,question,n/a
        7,high,Demo,http://example.invalid,walking more,2,therapist,00:00:09,Short walks are what fits right now.,reflection,n/a
        7,high,Demo,http://example.invalid,walking more,3,client,00:00:12,Yes.,n/a,neutral
        7,high,Demo,http://example.invalid,walking more,4,client,00:00:14,My knee complains on hills.,n/a,sustain
        7,high,Demo,http://example.invalid,walking more,5,therapist,00:00:20,"Hills hurt, so flat routes make sense.",reflection,n/a
        3,low,Other,http://example.invalid,diet,0,client,00:00:02,I eat late most nights.,n/a,neutral
        3,low,Other,http://example.invalid,diet,1,therapist,00:00:04,You should stop that.,therapist_input,n/a

        """

    @Test func pairsFollowUtteranceOrderWithinEachTranscript() throws {
        let pairs = try AnnoMIImporter.pairs(from: Fixture.file("AnnoMI-simple.csv", Self.simple))
        #expect(pairs.map(\.transcriptID) == [3, 7, 7])
        #expect(pairs.map(\.clientUtteranceID) == [0, 1, 4])
        #expect(pairs.map(\.behaviour) == [.therapistInput, .reflection, .reflection])
        #expect(pairs.allSatisfy { $0.subtype == nil })
        #expect(pairs[1].client == "I walk the dog, but only round the block.")
        #expect(pairs[1].response == "Short walks are what fits right now.")
        #expect(pairs[0].quality == "low" && pairs[0].topic == "diet")
    }

    @Test func contextIsTheLastFourUtterancesEndingWithTheClient() throws {
        let pairs = try AnnoMIImporter.pairs(from: Fixture.file("AnnoMI-simple.csv", Self.simple))
        #expect(pairs[0].context == [.init(speaker: .client, text: "I eat late most nights.")])
        #expect(pairs[1].context.map(\.speaker) == [.therapist, .client])
        #expect(pairs[2].context.map(\.text) == [
            "I walk the dog, but only round the block.", "Short walks are what fits right now.", "Yes.", "My knee complains on hills.",
        ])
    }

    @Test func fullFileTakesMajorityBehaviourAndSubtype() throws {
        let header = "mi_quality,transcript_id,topic,utterance_id,interlocutor,utterance_text,annotator_id,reflection_subtype,main_therapist_behaviour"
        let rows = [
            "high,1,sleep,0,client,I lie awake for hours.,1,n/a,n/a",
            "high,1,sleep,0,client,I lie awake for hours.,2,n/a,n/a",
            "high,1,sleep,0,client,I lie awake for hours.,3,n/a,n/a",
            "high,1,sleep,1,therapist,The nights feel endless.,1,complex,reflection",
            "high,1,sleep,1,therapist,The nights feel endless.,2,simple,question",
            "high,1,sleep,1,therapist,The nights feel endless.,3,complex,reflection",
            "high,1,sleep,2,client,They do.,1,n/a,n/a",
            "high,1,sleep,3,therapist,Awake and tired.,1,simple,other",
            "high,1,sleep,3,therapist,Awake and tired.,2,complex,reflection",
        ]
        let url = try Fixture.file("AnnoMI-full.csv", ([header] + rows).joined(separator: "\n"))
        let pairs = try AnnoMIImporter.pairs(from: url)
        #expect(pairs.map(\.behaviour) == [.reflection, .other])
        #expect(pairs.map(\.subtype) == [.complex, nil])
    }

    @Test func promptSetUsesReflectionsAsReferences() throws {
        let set = try AnnoMIImporter.promptSet(from: Fixture.file("AnnoMI-simple.csv", Self.simple))
        #expect(set.records.map(\.id) == ["annomi-3-0", "annomi-7-1", "annomi-7-4"])
        #expect(set.records.map { $0.reflection != nil } == [false, true, true])
        #expect(set.topics == ["diet", "walking more"])
    }

    @Test(arguments: [
        ("transcript_id,mi_quality,topic,utterance_id,utterance_text,main_therapist_behaviour\n1,high,t,0,hi,n/a\n",
         "bad.csv:1: field \"interlocutor\": expected a column of that name in the header, got columns transcript_id, mi_quality, topic, utterance_id, utterance_text, main_therapist_behaviour"),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,zero,client,hi,n/a\n",
         "bad.csv:2: field \"utterance_id\": expected an integer, got \"zero\""),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,0,client,hi,n/a\n1,high,t,1,coach,hello,n/a\n",
         "bad.csv:3: field \"interlocutor\": expected \"therapist\" or \"client\", got \"coach\""),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,0,therapist,hi,advice\n",
         "bad.csv:2: field \"main_therapist_behaviour\": expected \"reflection\", \"question\", \"therapist_input\" or \"other\", got \"advice\""),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,0,client,\"hi,n/a\n",
         "bad.csv:2: field \"utterance_text\": expected a closing quote for the field opened on this line, got the end of the file"),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,0,client,hi,n/a\n1,high,t,0,client,again,n/a\n",
         "bad.csv:3: field \"utterance_id\": expected an utterance id not used before in transcript 1 (first on line 2), got \"0\""),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour,annotator_id\n1,high,t,0,client,hi,n/a,1\n",
         "bad.csv:1: field \"reflection_subtype\": expected a column of that name in the header, got columns transcript_id, mi_quality, topic, utterance_id, interlocutor, utterance_text, main_therapist_behaviour, annotator_id"),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour,annotator_id,reflection_subtype\n1,high,t,0,therapist,hi,reflection,1,deep\n",
         "bad.csv:2: field \"reflection_subtype\": expected \"simple\" or \"complex\", got \"deep\""),
        ("transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour,annotator_id,reflection_subtype\n1,high,t,0,client,hi,n/a,1,n/a\n1,high,t,0,client,bye,n/a,2,n/a\n",
         "bad.csv:3: field \"utterance_text\": expected the same speaker and text as line 2, another annotator's row of this utterance, got \"bye\""),
        ("", "bad.csv: expected a header line, got an empty file"),
    ])
    func malformedFilesFailWithFileLineAndField(text: String, message: String) throws {
        let url = try Fixture.file("bad.csv", text)
        #expect(Fixture.failure { try AnnoMIImporter.pairs(from: url) } == message)
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let text = "transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n"
        let url = try Fixture.file("bad.csv", bytes: Array(text.utf8) + [0xC3, 0x28] + Array(",x\n".utf8))
        #expect(Fixture.failure { try AnnoMIImporter.pairs(from: url) } == "bad.csv:2: expected UTF-8 text, got byte 0xC3")
    }
}
