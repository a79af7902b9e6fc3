package com.myorg;

import java.util.List;

import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.opensearchservice.Domain;
import software.amazon.awscdk.services.opensearchservice.DomainAttributes;
import software.amazon.awscdk.services.opensearchservice.IDomain;
import software.constructs.Construct;

import io.github.cdkopensearchpackages.CustomPackage;
import io.github.cdkopensearchpackages.DomainPackageAssociation;
import io.github.cdkopensearchpackages.PackageSource;

/** The language tests' stack in Java: the same stack as test/languages/typescript/app.ts. */
public final class LanguageTestApp {
    public static class LanguageTestStack extends Stack {
        public LanguageTestStack(final Construct scope, final String id) {
            this(scope, id, null);
        }

        public LanguageTestStack(final Construct scope, final String id, final StackProps props) {
            super(scope, id, props);

            IDomain domain = Domain.fromDomainAttributes(this, "Domain", DomainAttributes.builder()
                    .domainArn("arn:aws:es:eu-west-1:123456789012:domain/products")
                    .domainEndpoint("https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com")
                    .build());

            // A dictionary from a file of this app, associated with the domain.
            CustomPackage synonyms = CustomPackage.Builder.create(this, "Synonyms")
                    .packageName("product-synonyms")
                    .source(PackageSource.fromAsset("dictionaries/synonyms.txt"))
                    .build();
            DomainPackageAssociation association = synonyms.associateWith(domain);

            // A package that already exists: a plugin's configuration, with the plugin as its prerequisite.
            DomainPackageAssociation.Builder.create(this, "PluginConfig")
                    .domain(domain)
                    .packageId("pkg-0123456789abcdef0")
                    .versionLabel("v2")
                    .prerequisitePackageIds(List.of("pkg-fedcba98765432100"))
                    .build();

            CfnOutput.Builder.create(this, "SynonymsPath")
                    .value(association.getReferencePath())
                    .build();
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        new LanguageTestStack(app, "OpenSearchPackagesLanguageTest");
        app.synth();
    }
}
