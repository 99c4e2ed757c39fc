import FusionModel
import RadiomicsCore
import RadiomicsIO
import Testing

@Suite struct CSVTableTests {
    @Test func quotedFieldsCRLFAndEmbeddedLineBreaks() throws {
        let text = "case_id,note,afp\r\n\"P,1\",\"said \"\"hi\"\"\",12\r\nP2,\"two\nlines\",3.5\r\n\r\n"
        let t = try CSVTable.parse(text, source: "t.csv")
        #expect(t.header == ["case_id", "note", "afp"])
        #expect(t.rows == [["P,1", "said \"hi\"", "12"], ["P2", "two\nlines", "3.5"]])
        #expect(t.lines == [2, 3])
        #expect(try t.number(row: 1, column: 2) == 3.5)
    }

    @Test func lastRecordWithoutNewlineAndBOM() throws {
        let t = try CSVTable.parse("\u{FEFF}a,b\n1,2", source: "t.csv")
        #expect(t.header == ["a", "b"])
        #expect(t.rows == [["1", "2"]])
    }

    @Test func malformedFilesNameTheLine() {
        func problem(_ text: String) -> String? {
            do { _ = try CSVTable.parse(text, source: "t.csv"); return nil } catch let e as RadiomicsError { return e.description } catch { return "\(error)" }
        }
        #expect(problem("a,b\n1,2,3\n") == "t.csv: line 2: 3 fields where the header has 2")
        #expect(problem("a,b\n\"1,2\n")?.contains("not closed") == true)
        #expect(problem("a,b\n1\"x,2\n")?.contains("line 2: a double quote inside an unquoted field") == true)
        #expect(problem("a,a\n1,2\n")?.contains("column 'a' appears twice") == true)
        #expect(problem("") == "t.csv: the file is empty (no header row)")
    }
}

@Suite struct ClinicalTableTests {
    static let header = "case_id,vascularization_type,afp,ggt,albumin,bilirubin,tumor_size_cm,refractory\n"

    func problem(_ rows: String) -> String? {
        do { _ = try ClinicalTable(table: CSVTable.parse(Self.header + rows, source: "c.csv")); return nil } catch let e as RadiomicsError {
            return e.description
        } catch { return "\(error)" }
    }

    @Test func readsRecordsAndKeepsOtherColumns() throws {
        let c = try ClinicalTable(table: CSVTable.parse(Self.header + "P1,3,85,60,38,17,6.2,1\nP2,1,5,30,45,8,2,0\n", source: "c.csv"))
        #expect(c.records.count == 2)
        #expect(c.records[0] == ClinicalRecord(caseID: "P1", vascularizationType: 3, afp: 85, ggt: 60, albumin: 38, bilirubin: 17, tumorSizeCM: 6.2))
        #expect(c.table.header.last == "refractory")
    }

    @Test func impossibleOrMissingValuesNameRowAndColumn() {
        #expect(problem("P1,3,85,60,38,17,6.2,1\nP2,1,-5,30,45,8,2,0\n")
            == "c.csv: row 2 (line 3, case P2), column 'afp': AFP -5 ng/mL is negative")
        #expect(problem("P1,5,85,60,38,17,6.2,1\n")
            == "c.csv: row 1 (line 2, case P1), column 'vascularization_type': vascularization type 5 is not one of 1, 2, 3, 4")
        #expect(problem("P1,2.5,85,60,38,17,6.2,1\n")?.contains("vascularization type 2.5 is not one of") == true)
        #expect(problem("P1,3,85,abc,38,17,6.2,1\n") == "c.csv: row 1 (line 2, case P1), column 'ggt': 'abc' is not a number")
        #expect(problem("P1,3,85,60,,17,6.2,1\n") == "c.csv: row 1 (line 2, case P1), column 'albumin': missing value")
        #expect(problem("P1,3,85,60,3.8,17,6.2,1\n")?.contains("albumin 3.8 g/L is impossible (g/dL? multiply by 10)") == true)
        #expect(problem("P1,3,85,60,38,0,6.2,1\n")?.contains("column 'bilirubin': bilirubin 0 umol/L is not positive") == true)
        #expect(problem("P1,3,85,60,38,17,NA,1\n") == "c.csv: row 1 (line 2, case P1), column 'tumor_size_cm': missing value")
        #expect(problem("P1,3,85,60,38,17,6,1\nP1,3,85,60,38,17,6,1\n")?.contains("case_id 'P1' already used in row 1") == true)
    }

    @Test func missingColumnIsNamed() throws {
        do {
            _ = try ClinicalTable(table: CSVTable.parse("case_id,afp\nP1,3\n", source: "c.csv"))
            Issue.record("expected an error")
        } catch let e as RadiomicsError {
            #expect(e.description.hasPrefix("c.csv: no column 'vascularization_type'"))
        }
    }
}
