package io.gatehouse;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floor of the house (../shared/DESIGN.md, Layout): packages stand in layers, each using only
 * the layers below it — config → http → the capabilities → store → the composition root — and no
 * packages import each other, directly or around a loop. A change that breaks either fails here.
 */
class LayersTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.gatehouse");
  }

  @Test
  void noPackageLoops() {
    slices().matching("io.gatehouse.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** Within a capability too: its endpoints (web) use its domain, never the other way round. */
  @Test
  void noSubpackageLoops() {
    slices().matching("io.gatehouse.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("config").definedBy("io.gatehouse.config..")
        .layer("http").definedBy("io.gatehouse.http..")
        .layer("capabilities").definedBy("io.gatehouse.gateway..", "io.gatehouse.guard..", "io.gatehouse.identity..",
            "io.gatehouse.account..",
            "io.gatehouse.oauth..", "io.gatehouse.keys..", "io.gatehouse.ratelimit..", "io.gatehouse.observability..")
        .layer("store").definedBy("io.gatehouse.store..")
        .layer("root").definedBy("io.gatehouse", "io.gatehouse.cli..")
        .whereLayer("root").mayNotBeAccessedByAnyLayer()
        .whereLayer("store").mayOnlyBeAccessedByLayers("root")
        .whereLayer("capabilities").mayOnlyBeAccessedByLayers("store", "root")
        .whereLayer("http").mayOnlyBeAccessedByLayers("capabilities", "store", "root")
        .check(classes);
  }

  @Test
  void configKnowsNothingAboveIt() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideInAPackage("io.gatehouse.config..")
        .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.http..", "io.gatehouse.gateway..",
            "io.gatehouse.guard..", "io.gatehouse.identity..", "io.gatehouse.account..", "io.gatehouse.oauth..",
            "io.gatehouse.keys..", "io.gatehouse.ratelimit..", "io.gatehouse.observability..", "io.gatehouse.store..", "io.gatehouse.cli..")
        .check(classes);
  }
}
