#!/usr/bin/env python3
"""Converts a Presidio evaluator data set (a JSON array of {full_text, spans: [{entity_type, start_position,
end_position}]}) into the labelled JSON Lines `airlock guard eval-pii` reads: {text, entities: [{type, start, end}],
source}. Types Airlock does not detect (locations, organisations, titles, plain dates, ...) are dropped; a span of
such a type is not counted either way.

    scripts/pii-presidio-to-jsonl.py SOURCE_NAME IN.json OUT.jsonl
"""
import json
import sys

TYPES = {
    "PERSON": "person_name",
    "STREET_ADDRESS": "postal_address",
    "ADDRESS": "postal_address",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "card",
    "EMAIL_ADDRESS": "email",
    "IBAN_CODE": "iban",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip_address",
}

# the types the set labels; findings of other types (a date of birth: the set labels all dates alike) are not counted
LABELLED = sorted(set(TYPES.values()))


def main(source, src, dst):
    rows = json.load(open(src, encoding="utf-8"))
    with open(dst, "w", encoding="utf-8") as out:
        for row in rows:
            text = row["full_text"]
            entities = []
            for span in row["spans"]:
                kind = TYPES.get(span["entity_type"])
                if kind:
                    # Python counts code points, the evaluator UTF-16 units: convert
                    start = len(text[: span["start_position"]].encode("utf-16-le")) // 2
                    end = len(text[: span["end_position"]].encode("utf-16-le")) // 2
                    entities.append({"type": kind, "start": start, "end": end})
            out.write(json.dumps({"text": text, "entities": entities, "source": source, "types": LABELLED}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
