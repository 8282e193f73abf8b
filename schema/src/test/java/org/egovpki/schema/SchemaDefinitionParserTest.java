package org.egovpki.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaDefinitionParserTest {

    private static final String AT = EgovSchema.ATTRIBUTE_TYPE_ARC;
    private static final String OC = EgovSchema.OBJECT_CLASS_ARC;

    @Test
    void readsAnAttributeTypeWithSeveralNamesAndFlags() {
        SchemaElement e = SchemaDefinitionParser.parse(
                "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: common name(s)' SUP name"
                        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{64} SINGLE-VALUE X-ORIGIN 'RFC 4519' )");

        assertThat(e.kind()).isEqualTo(SchemaElement.Kind.ATTRIBUTE_TYPE);
        assertThat(e.oid()).isEqualTo("2.5.4.3");
        assertThat(e.names()).containsExactly("cn", "commonName");
        assertThat(e.name()).isEqualTo("cn");
        assertThat(e.description()).contains("RFC4519: common name(s)");
        assertThat(e.superiors()).containsExactly("name");
        assertThat(e.syntax()).contains("1.3.6.1.4.1.1466.115.121.1.15");
        assertThat(e.singleValue()).isTrue();
        assertThat(e.values("x-origin")).containsExactly("RFC 4519");
        assertThat(e.classKind()).isEmpty();
    }

    @Test
    void readsAnObjectClassWithDollarListsWrittenWithOrWithoutSpaces() {
        SchemaElement e = SchemaDefinitionParser.parse(
                "(2.5.6.5 NAME 'organizationalUnit' SUP top STRUCTURAL MUST ou MAY (description$l $ st) )");

        assertThat(e.kind()).isEqualTo(SchemaElement.Kind.OBJECT_CLASS);
        assertThat(e.must()).containsExactly("ou");
        assertThat(e.may()).containsExactly("description", "l", "st");
        assertThat(e.classKind()).contains(SchemaElement.ClassKind.STRUCTURAL);
        assertThat(e.definition()).isEqualTo(
                "( 2.5.6.5 NAME 'organizationalUnit' SUP top STRUCTURAL MUST ou MAY ( description $ l $ st ) )");
    }

    @Test
    void decodesQdstringEscapesButKeepsThemInTheDefinition() {
        SchemaElement e = SchemaDefinitionParser.parse("( 1.2.3 NAME 'x' DESC 'it\\27s a back\\5Cslash' AUXILIARY )");

        assertThat(e.description()).contains("it's a back\\slash");
        assertThat(e.definition()).contains("'it\\27s a back\\5Cslash'");
        assertThat(e.classKind()).contains(SchemaElement.ClassKind.AUXILIARY);
    }

    @Test
    void objectClassWithoutKindKeywordIsStructuralWhenItHasMust() {
        SchemaElement e = SchemaDefinitionParser.parse("( 1.2.3 NAME 'x' MUST cn )");
        assertThat(e.classKind()).contains(SchemaElement.ClassKind.STRUCTURAL);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "NAME 'x' SYNTAX 1.2 )               | starts with '('",
        "( NAME 'x' )                        | numeric OID",
        "( 1.02.3 NAME 'x' )                 | numeric OID",
        "( 1.2.3 NAME 'x' DESC 'open )       | unterminated",
        "( 1.2.3 DESC 'no name' )            | no NAME",
        "( 1.2.3 NAME 'x' MAY ( a $ b        | ends with ')'",
        "( 1.2.3 NAME 'x' MAY ( a $ b )      | unclosed list",
        "( 1.2.3 NAME 'x' MAY ( a $ b ) ) )  | expected a keyword",
        "( 1.2.3 NAME 'x' NAME 'y' )         | twice",
        "( 1.2.3 NAME 'x' DESC )             | no value",
        "( 1.2.3 NAME 'x' MAY ( ) )          | empty list",
        "( 1.2.3 NAME 'x' DESC 'bad \\zz' )  | bad escape",
    })
    void rejectsMalformedDefinitionsSayingWhy(String definition, String reason) {
        assertThatIllegalArgumentException().isThrownBy(() -> SchemaDefinitionParser.parse(definition))
                .withMessageContaining(reason.strip());
    }

    @Test
    void schemaTextAllowsCommentsAndDefinitionsOverSeveralLines() {
        EgovSchema schema = EgovSchema.parse("""
                # a comment

                # section
                ( %1$s.1 NAME 'egovA'
                  # inside a block
                  DESC 'first' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )

                ( %2$s.1 NAME 'egovC' DESC 'class'
                  SUP top AUXILIARY MAY egovA )
                """.formatted(AT, OC));

        assertThat(schema.attributeNames()).containsExactly("egovA");
        assertThat(schema.objectClassNames()).containsExactly("egovC");
        assertThat(schema.attributeTypes().get(0).definition()).isEqualTo("( " + AT
                + ".1 NAME 'egovA' DESC 'first' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )");
    }

    @Test
    void schemaTextRejectsAnAttributeTypeAfterAnObjectClass() {
        assertThatIllegalArgumentException().isThrownBy(() -> EgovSchema.parse("""
                ( %2$s.1 NAME 'egovC' DESC 'class' SUP top AUXILIARY )

                ( %1$s.1 NAME 'egovA' DESC 'late' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
                """.formatted(AT, OC)))
                .withMessageContaining("line 3").withMessageContaining("before all object classes");
    }

    @Test
    void schemaTextRejectsAnOidOutsideTheArcOfItsKind() {
        assertThatIllegalArgumentException().isThrownBy(() -> EgovSchema.parse(
                "( " + OC + ".7 NAME 'egovA' DESC 'x' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )"))
                .withMessageContaining(AT + ".N");
        assertThatIllegalArgumentException().isThrownBy(() -> EgovSchema.parse(
                "( 1.2.3 NAME 'egovC' DESC 'x' SUP top STRUCTURAL )"))
                .withMessageContaining(OC + ".N");
        assertThatIllegalArgumentException().isThrownBy(() -> EgovSchema.parse(
                "( " + AT + ".1.2 NAME 'egovA' DESC 'x' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )"))
                .withMessageContaining(AT + ".N");
    }

    @Test
    void schemaTextRejectsDuplicateOidsAndNamesIgnoringCase() {
        String a = "( " + AT + ".1 NAME 'egovA' DESC 'x' SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )";
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EgovSchema.parse(a + "\n\n" + a.replace("egovA", "egovB")))
                .withMessageContaining("OID " + AT + ".1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EgovSchema.parse(a + "\n\n" + a.replace(".1 NAME 'egovA'", ".2 NAME 'EGOVA'")))
                .withMessageContaining("name EGOVA");
    }

    @Test
    void schemaTextErrorNamesTheLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> EgovSchema.parse("# c\n\n( " + AT + ".1 DESC 'x' )"))
                .withMessageStartingWith("schema definition at line 3");
    }
}
